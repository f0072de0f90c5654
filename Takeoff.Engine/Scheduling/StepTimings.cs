using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Takeoff.Engine.Scheduling;

/// <summary>
/// Where a scheduler step's time goes: admitting requests, building the batch, llama_decode, sampling every ready
/// sequence (logits, sampler, detokenizer, hand-off), and how many tokens the step carried. On the scheduler meter
/// (<see cref="Diagnostics.EngineMetrics.SchedulerMeterName"/>, not in /metrics), tagged by reader.
/// </summary>
/// <param name="meter">Made by the host's meter factory, which owns it.</param>
internal sealed class StepTimings(Meter meter, string readerId)
{
    private readonly Histogram<double> _admit = meter.CreateHistogram<double>("takeoff.step.admit", "ms", "Admission and retirement, per step.");
    private readonly Histogram<double> _batch = meter.CreateHistogram<double>("takeoff.step.batch", "ms", "Building the batch, per step.");
    private readonly Histogram<double> _decode = meter.CreateHistogram<double>("takeoff.step.decode", "ms", "llama_decode, per step.");
    private readonly Histogram<double> _sample = meter.CreateHistogram<double>("takeoff.step.sample", "ms", "Sampling, detokenizing and handing tokens on, per step.");
    private readonly Histogram<int> _tokens = meter.CreateHistogram<int>("takeoff.step.tokens", "{token}", "Tokens decoded per step.");
    private readonly TagList _tags = new() { { "reader_id", readerId } };

    /// <summary>One step, from the Stopwatch timestamps that end each of its phases.</summary>
    public void Record(long start, long admitted, long batched, long decoded, long sampled, int tokens)
    {
        _admit.Record(Stopwatch.GetElapsedTime(start, admitted).TotalMilliseconds, _tags);
        _batch.Record(Stopwatch.GetElapsedTime(admitted, batched).TotalMilliseconds, _tags);
        _decode.Record(Stopwatch.GetElapsedTime(batched, decoded).TotalMilliseconds, _tags);
        _sample.Record(Stopwatch.GetElapsedTime(decoded, sampled).TotalMilliseconds, _tags);
        _tokens.Record(tokens, _tags);
    }
}
