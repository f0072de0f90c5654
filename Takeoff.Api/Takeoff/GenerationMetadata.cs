using Takeoff.Engine.Generation;

namespace Takeoff.Api.Takeoff;

/// <summary>How one generation went (returned when <c>return_metadata</c> is true).</summary>
/// <param name="PromptTokens">Tokens in the prompt after truncation.</param>
/// <param name="GeneratedTokens">Tokens generated (an end-of-sequence token is not counted).</param>
/// <param name="FinishReason">"length" (max_new_tokens or context reached), "eos", "stop" (a stop sequence matched), or
/// "stopped" (the reader was removed).</param>
/// <param name="TimeToFirstTokenMs">From arrival to the first generated token, queueing included.</param>
/// <param name="TokensPerSecond">Generated tokens over the time from the start of prefill to the last token.</param>
/// <param name="CachedTokens">Prompt tokens found cached from an earlier request (not evaluated again).</param>
public sealed record GenerationMetadata(
    int PromptTokens,
    int GeneratedTokens,
    string FinishReason,
    double TimeToFirstTokenMs,
    double TokensPerSecond,
    int CachedTokens)
{
    public static GenerationMetadata From(GenerationSummary summary) => new(
        summary.PromptTokens,
        summary.GeneratedTokens,
        Name(summary.FinishReason),
        Math.Round(summary.TimeToFirstToken.TotalMilliseconds, 3),
        Math.Round(summary.TokensPerSecond, 1),
        summary.CachedTokens);

    /// <summary>Takeoff's names for how a generation ended.</summary>
    private static string Name(FinishReason reason) => reason switch
    {
        Engine.Generation.FinishReason.Eos => "eos",
        Engine.Generation.FinishReason.Stop => "stop",
        Engine.Generation.FinishReason.Stopped => "stopped",
        _ => "length",
    };
}
