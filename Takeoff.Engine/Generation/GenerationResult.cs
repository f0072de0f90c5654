namespace Takeoff.Engine.Generation;

/// <summary>A finished generation: every choice, in choice order.</summary>
public sealed record GenerationResult(IReadOnlyList<ChoiceResult> Choices);
