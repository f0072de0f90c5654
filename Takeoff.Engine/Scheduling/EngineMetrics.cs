using System.Diagnostics.Metrics;
using Takeoff.Engine.Generation;

namespace Takeoff.Engine.Scheduling;

/// <summary>
/// What an operator watches, per model: finished requests by outcome, generated tokens, time to first token,
/// rejections. Published on the <c>Takeoff.Engine</c> meter (OpenTelemetry, dotnet-counters).
/// </summary>
internal sealed class EngineMetrics : IDisposable
{
    public const string MeterName = "Takeoff.Engine";

    private readonly Meter _meter;
    private readonly Histogram<int> _generatedTokens;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Counter<long> _rejected;

    public EngineMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _generatedTokens = _meter.CreateHistogram<int>("takeoff.request.generated_tokens", "{token}",
            "Tokens generated per finished request, tagged with the model and the outcome (length, eos, stop, stopped, cancelled, failed).");
        _timeToFirstToken = _meter.CreateHistogram<double>("takeoff.request.time_to_first_token", "s",
            "From admission to the queue until the first sampled token.");
        _rejected = _meter.CreateCounter<long>("takeoff.requests.rejected", "{request}",
            "Requests refused because the model's queue was full.");
    }

    internal void Completed(string model, GenerationSummary summary)
    {
        _timeToFirstToken.Record(summary.TimeToFirstToken.TotalSeconds, new KeyValuePair<string, object?>("model", model));
        Finished(model, summary.FinishReason, summary.GeneratedTokens);
    }

    internal void Finished(string model, FinishReason reason, int generatedTokens) =>
        Record(model, reason.ToString().ToLowerInvariant(), generatedTokens);

    internal void Failed(string model, int generatedTokens) => Record(model, "failed", generatedTokens);

    private void Record(string model, string outcome, int generatedTokens) =>
        _generatedTokens.Record(generatedTokens,
            new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("outcome", outcome));

    internal void Rejected(string model) => _rejected.Add(1, new KeyValuePair<string, object?>("model", model));

    public void Dispose() => _meter.Dispose();
}
