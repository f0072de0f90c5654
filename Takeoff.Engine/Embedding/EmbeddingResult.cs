namespace Takeoff.Engine.Embedding;

/// <summary>One pooled, L2-normalized vector per input, in input order, and the tokens the inputs held.</summary>
public sealed record EmbeddingResult(IReadOnlyList<float[]> Vectors, int Tokens);
