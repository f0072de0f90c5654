namespace Takeoff.Engine.Generation;

/// <summary>
/// What one choice adds to its answer at one step: the text now certain, and the tokens that produced it. The text
/// can be empty while a UTF-8 character is incomplete or a stop sequence may be starting; it is never split.
/// A choice's last chunk carries its <see cref="Summary"/> (and may still carry text).
/// </summary>
/// <param name="Choice">Which choice: prompt index × choices per prompt + the choice's index for its prompt.</param>
public sealed record GenerationChunk(int Choice, string Text, IReadOnlyList<GeneratedToken> Tokens, GenerationSummary? Summary = null);
