namespace Takeoff.Engine.Embedding;

/// <summary>Inputs to embed, in order, and the consumer group or model name whose EMBEDDING readers embed them.</summary>
public sealed record EmbeddingRequest(IReadOnlyList<EmbeddingInput> Inputs, string Target);
