namespace Takeoff.Engine.Generation;

/// <summary>One finished choice: its whole text, its tokens and how it ended.</summary>
public sealed record ChoiceResult(int Index, string Text, IReadOnlyList<GeneratedToken> Tokens, GenerationSummary Summary);
