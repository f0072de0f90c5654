namespace Takeoff.Engine.Generation;

/// <summary>What a finished generation reports about itself.</summary>
public sealed record GenerationSummary(
    int PromptTokens,
    int GeneratedTokens,
    FinishReason FinishReason,
    TimeSpan TimeToFirstToken,
    TimeSpan Duration)
{
    /// <summary>Generated tokens over the wall time from the start of prefill to the last token.</summary>
    public double TokensPerSecond => Duration > TimeSpan.Zero ? GeneratedTokens / Duration.TotalSeconds : 0;
}
