using System.Diagnostics.Metrics;

namespace Takeoff.Engine.Diagnostics;

/// <summary>
/// What an operator watches, on the <c>Takeoff.Engine</c> meter (Prometheus at /metrics, OpenTelemetry,
/// dotnet-counters): requests by outcome, tokens in and out, requests running and waiting, readers by state, and
/// latency histograms in seconds. Every series carries its reader_id and consumer_group where one applies; a request
/// with n choices counts as n, since each choice is a sequence of its own.
/// </summary>
internal sealed class EngineMetrics : IDisposable
{
    public const string MeterName = "Takeoff.Engine";

    /// <summary>
    /// Where each scheduler step's phases are timed (see Scheduling's StepTimings): a meter of its own, not in /metrics;
    /// <c>dotnet-counters monitor -n Takeoff.Api --counters Takeoff.Engine.Scheduler</c> shows it live.
    /// </summary>
    public const string SchedulerMeterName = "Takeoff.Engine.Scheduler";

    private readonly Meter _meter;

    /// <param name="meterFactory">Owns the meters: one per name and per service provider, disposed with it.</param>
    public EngineMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        SchedulerMeter = meterFactory.Create(SchedulerMeterName);
        Requests = _meter.CreateCounter<long>("takeoff.requests", "{request}",
            "Finished or refused requests, by outcome: length, eos, stop, stopped, cancelled, failed, rejected.");
        PromptTokens = _meter.CreateCounter<long>("takeoff.prompt_tokens", "{token}", "Prompt tokens evaluated.");
        GeneratedTokens = _meter.CreateCounter<long>("takeoff.generated_tokens", "{token}", "Tokens generated.");
        TimeToFirstToken = _meter.CreateHistogram("takeoff.time_to_first_token", "s",
            "From a request's arrival (queueing included) to its first token.",
            advice: Buckets(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60));
        TimePerOutputToken = _meter.CreateHistogram("takeoff.time_per_output_token", "s",
            "Mean time between a request's tokens after the first.",
            advice: Buckets(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1));
        RequestDuration = _meter.CreateHistogram("takeoff.request_duration", "s",
            "From a request's arrival to its end, whatever the outcome.",
            advice: Buckets(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600));
    }

    /// <summary>The meter of these instruments, for the gauges that read the readers (see Readers' ReaderGauges).</summary>
    public Meter Meter => _meter;

    public Meter SchedulerMeter { get; }

    public Counter<long> Requests { get; }

    public Counter<long> PromptTokens { get; }

    public Counter<long> GeneratedTokens { get; }

    public Histogram<double> TimeToFirstToken { get; }

    public Histogram<double> TimePerOutputToken { get; }

    public Histogram<double> RequestDuration { get; }

    private static InstrumentAdvice<double> Buckets(params double[] bounds) => new() { HistogramBucketBoundaries = bounds };

    public void Dispose()
    {
        _meter.Dispose();
        SchedulerMeter.Dispose();
    }
}
