namespace Takeoff.Engine.Generation;

/// <summary>One finished choice: its whole text, its tokens and how it ended.</summary>
/// <param name="Index">Which choice, counted over the whole request prompt by prompt (as <see cref="GenerationChunk.Choice"/>).</param>
/// <param name="Prompt">The index of the prompt it continues.</param>
public sealed record ChoiceResult(int Index, int Prompt, string Text, IReadOnlyList<GeneratedToken> Tokens, GenerationSummary Summary);
