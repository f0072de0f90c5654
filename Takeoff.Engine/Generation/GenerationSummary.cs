namespace Takeoff.Engine.Generation;

/// <summary>What a finished choice reports about itself.</summary>
/// <param name="PromptTokens">Tokens of its prompt, after truncation.</param>
/// <param name="GeneratedTokens">Tokens generated (an end-of-generation token is not counted).</param>
/// <param name="TimeToFirstToken">From arrival (queueing included) to the first sampled token.</param>
/// <param name="Duration">From the start of prefill to the last token.</param>
/// <param name="TimeAfterFirstToken">From the first token to the last.</param>
/// <param name="Elapsed">From arrival to the end, queueing included.</param>
public sealed record GenerationSummary(
    int PromptTokens,
    int GeneratedTokens,
    FinishReason FinishReason,
    TimeSpan TimeToFirstToken,
    TimeSpan Duration,
    TimeSpan TimeAfterFirstToken,
    TimeSpan Elapsed)
{
    /// <summary>Prompt tokens whose cells were found cached in the slot (a prefix shared with an earlier request): not evaluated again.</summary>
    public int CachedTokens { get; init; }

    /// <summary>Generated tokens over the wall time from the start of prefill to the last token.</summary>
    public double TokensPerSecond => Duration > TimeSpan.Zero ? GeneratedTokens / Duration.TotalSeconds : 0;
}
