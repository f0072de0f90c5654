using System.Diagnostics.Metrics;
using Takeoff.Engine.Readers;

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

    private readonly Meter _meter;

    public EngineMetrics(IMeterFactory meterFactory, ReaderRegistry registry)
    {
        _meter = meterFactory.Create(MeterName);
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
        _meter.CreateObservableGauge("takeoff.requests_running", () => PerReader(registry, r => r.ActiveSequences),
            "{request}", "Requests holding a batch slot.");
        _meter.CreateObservableGauge("takeoff.requests_waiting", () => PerReader(registry, r => r.QueuedSequences),
            "{request}", "Requests waiting for a batch slot.");
        _meter.CreateObservableGauge("takeoff.readers", () => ReadersByState(registry), "{reader}",
            "Readers by consumer group and state: loading, ready, draining, dead.");
        // The three per-pod signals an inference gateway's endpoint picker reads (waiting, running, KV-cache use),
        // and the cache's shape beside them, as vLLM's cache_config_info gives it. llama.cpp keeps one cell per token,
        // so a "block" here is one cell.
        _meter.CreateObservableGauge("takeoff.kv_cache_usage_ratio", () => PerCache(registry, m => (double)m.KvCellsInUse / m.KvCells),
            description: "KV-cache cells held by running sequences over all cells, 0 to 1, per loaded causal reader.");
        _meter.CreateObservableGauge("takeoff.cache_config_info", () => PerCache(registry, _ => 1, m => [
                new("block_size", 1), new("num_blocks", m.KvCells), new("num_gpu_blocks", m.KvCells)]),
            description: "Always 1; the labels give each reader's KV cache: block_size (tokens per block) and num_blocks " +
                         "(num_gpu_blocks too, the label the model server protocol's readers parse, wherever the cache is).");
    }

    public Counter<long> Requests { get; }

    public Counter<long> PromptTokens { get; }

    public Counter<long> GeneratedTokens { get; }

    public Histogram<double> TimeToFirstToken { get; }

    public Histogram<double> TimePerOutputToken { get; }

    public Histogram<double> RequestDuration { get; }

    private static InstrumentAdvice<double> Buckets(params double[] bounds) => new() { HistogramBucketBoundaries = bounds };

    private static IEnumerable<Measurement<int>> PerReader(ReaderRegistry registry, Func<ReaderSnapshot, int> value) =>
        registry.Readers.Select(r => r.Snapshot()).Select(r => new Measurement<int>(value(r),
            new("reader_id", r.Id), new("consumer_group", r.Entry.ConsumerGroup)));

    /// <summary>One measurement per reader that holds a KV cache (loaded, causal).</summary>
    private static IEnumerable<Measurement<T>> PerCache<T>(ReaderRegistry registry, Func<LoadedModel, T> value,
        Func<LoadedModel, KeyValuePair<string, object?>[]>? tags = null) where T : struct =>
        registry.Readers.Select(r => (Reader: r, Model: r.Model)).Where(r => r.Model is { KvCells: > 0 })
            .Select(r => new Measurement<T>(value(r.Model!), [
                new("reader_id", r.Reader.Id), new("consumer_group", r.Reader.Entry.ConsumerGroup),
                .. tags?.Invoke(r.Model!) ?? []]));

    private static IEnumerable<Measurement<int>> ReadersByState(ReaderRegistry registry) =>
        registry.Readers.GroupBy(r => (r.Entry.ConsumerGroup, r.State)).Select(g => new Measurement<int>(g.Count(),
            new("consumer_group", g.Key.ConsumerGroup), new("state", g.Key.State.ToString().ToLowerInvariant())));

    public void Dispose() => _meter.Dispose();
}
