namespace Takeoff.Engine.Generation;

/// <summary>A finished, non-streamed generation.</summary>
public sealed record GenerationResult(string Text, GenerationSummary Summary);
