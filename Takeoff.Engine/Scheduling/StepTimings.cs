using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Takeoff.Engine.Scheduling;

/// <summary>
/// Where a scheduler step's time goes: admitting requests, building the batch, llama_decode, sampling every ready
/// sequence (logits, sampler, detokenizer, hand-off), and how many tokens the step carried. On a meter of its own,
/// <c>Takeoff.Engine.Scheduler</c> (not in /metrics): <c>dotnet-counters monitor -n Takeoff.Api --counters
/// Takeoff.Engine.Scheduler</c> shows it live.
/// </summary>
internal sealed class StepTimings : IDisposable
{
    public const string MeterName = "Takeoff.Engine.Scheduler";

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _admit;
    private readonly Histogram<double> _batch;
    private readonly Histogram<double> _decode;
    private readonly Histogram<double> _sample;
    private readonly Histogram<int> _tokens;
    private readonly TagList _tags;

    public StepTimings(string readerId)
    {
        _admit = _meter.CreateHistogram<double>("takeoff.step.admit", "ms", "Admission and retirement, per step.");
        _batch = _meter.CreateHistogram<double>("takeoff.step.batch", "ms", "Building the batch, per step.");
        _decode = _meter.CreateHistogram<double>("takeoff.step.decode", "ms", "llama_decode, per step.");
        _sample = _meter.CreateHistogram<double>("takeoff.step.sample", "ms", "Sampling, detokenizing and handing tokens on, per step.");
        _tokens = _meter.CreateHistogram<int>("takeoff.step.tokens", "{token}", "Tokens decoded per step.");
        _tags = new TagList { { "reader_id", readerId } };
    }

    /// <summary>One step, from the Stopwatch timestamps that end each of its phases.</summary>
    public void Record(long start, long admitted, long batched, long decoded, long sampled, int tokens)
    {
        _admit.Record(Stopwatch.GetElapsedTime(start, admitted).TotalMilliseconds, _tags);
        _batch.Record(Stopwatch.GetElapsedTime(admitted, batched).TotalMilliseconds, _tags);
        _decode.Record(Stopwatch.GetElapsedTime(batched, decoded).TotalMilliseconds, _tags);
        _sample.Record(Stopwatch.GetElapsedTime(decoded, sampled).TotalMilliseconds, _tags);
        _tokens.Record(tokens, _tags);
    }

    public void Dispose() => _meter.Dispose();
}
