using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Takeoff.Engine.Generation;

namespace Takeoff.Engine.Diagnostics;

/// <summary>
/// One reader's share of the metrics and the request log: one line per finished sequence (request id, reader, tokens
/// in and out, time to first token, duration, outcome), never the prompt or the text.
/// </summary>
internal sealed partial class ReaderTelemetry(EngineMetrics metrics, string readerId, string group, string modelName, ILogger logger)
{
    private readonly TagList _tags = new() { { "reader_id", readerId }, { "consumer_group", group } };

    public string ModelName => modelName;

    public string ReaderId => readerId;

    /// <summary>Where the reader's scheduler times its steps.</summary>
    public Meter SchedulerMeter => metrics.SchedulerMeter;

    /// <summary>A sequence took a slot: its prompt is evaluated.</summary>
    public void Admitted(int promptTokens) => metrics.PromptTokens.Add(promptTokens, _tags);

    /// <summary>Sequences refused at the door (queue full).</summary>
    public void Rejected(int sequences) => Requests(sequences, "rejected");

    /// <summary>A sequence ended normally: <paramref name="summary"/> has its counts and timings.</summary>
    public void Finished(string? requestId, int choice, GenerationSummary summary)
    {
        var outcome = summary.FinishReason.ToString().ToLowerInvariant();
        Ended(requestId, choice, outcome, summary.PromptTokens, summary.GeneratedTokens, summary.Elapsed, summary.TimeToFirstToken);
        metrics.TimeToFirstToken.Record(summary.TimeToFirstToken.TotalSeconds, _tags);
        if (summary.GeneratedTokens > 1)
            metrics.TimePerOutputToken.Record(summary.TimeAfterFirstToken.TotalSeconds / (summary.GeneratedTokens - 1), _tags);
    }

    /// <summary>A sequence ended without a summary: its client went away, or it failed.</summary>
    public void Ended(string? requestId, int choice, string outcome, int promptTokens, int generatedTokens, TimeSpan elapsed,
        TimeSpan? timeToFirstToken = null)
    {
        Requests(1, outcome);
        metrics.GeneratedTokens.Add(generatedTokens, _tags);
        metrics.RequestDuration.Record(elapsed.TotalSeconds, _tags);
        var id = requestId ?? "-";
        var firstTokenMs = Math.Round((timeToFirstToken ?? TimeSpan.Zero).TotalMilliseconds, 1);
        var durationMs = Math.Round(elapsed.TotalMilliseconds, 1);
        LogFinished(logger, id, choice, readerId, modelName, outcome, promptTokens, generatedTokens, firstTokenMs, durationMs);
    }

    private void Requests(int count, string outcome)
    {
        var tags = _tags;
        tags.Add("outcome", outcome);
        metrics.Requests.Add(count, tags);
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information,
        Message = "Request {RequestId} choice {Choice} on {Reader} ({Model}): {Outcome}, {PromptTokens} prompt and {GeneratedTokens} generated tokens, first token after {TimeToFirstTokenMs} ms, {DurationMs} ms in all")]
    private static partial void LogFinished(ILogger logger, string requestId, int choice, string reader, string model, string outcome,
        int promptTokens, int generatedTokens, double timeToFirstTokenMs, double durationMs);
}
