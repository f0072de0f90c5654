namespace Takeoff.Engine.Generation;

/// <summary>A finished generation: every choice, in choice order, and what the request used.</summary>
public sealed record GenerationResult(IReadOnlyList<ChoiceResult> Choices, GenerationUsage Usage);
