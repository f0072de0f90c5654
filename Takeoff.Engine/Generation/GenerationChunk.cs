namespace Takeoff.Engine.Generation;

/// <summary>
/// What one choice adds to its answer at one step: the text now certain, and the tokens that produced it. The text
/// can be empty while a UTF-8 character is incomplete or a stop sequence may be starting; it is never split.
/// A choice's last chunk carries its <see cref="Summary"/> (and may still carry text); the request's last chunk also
/// carries its <see cref="Usage"/>.
/// </summary>
/// <param name="Choice">Which choice, counted over the whole request prompt by prompt: prompt index × choices per prompt + the choice's index for its prompt.</param>
/// <param name="Prompt">The index of the prompt the choice continues.</param>
public sealed record GenerationChunk(int Choice, int Prompt, string Text, IReadOnlyList<GeneratedToken> Tokens, GenerationSummary? Summary = null)
{
    /// <summary>Set on the request's last chunk only, once every choice has finished: what the whole request used.</summary>
    public GenerationUsage? Usage { get; init; }
}
