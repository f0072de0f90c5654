using System.Diagnostics.Metrics;

namespace Takeoff.Engine.Readers;

/// <summary>
/// The gauges an operator reads off the readers (requests running and waiting, readers by state, KV-cache use and
/// shape), observed at each scrape on the engine's meter. Here rather than in Diagnostics, which the readers report
/// to: the dependency goes one way.
/// </summary>
internal static class ReaderGauges
{
    public static void Register(Meter meter, ReaderRegistry registry)
    {
        meter.CreateObservableGauge("takeoff.requests_running", () => PerReader(registry, r => r.ActiveSequences),
            "{request}", "Requests holding a batch slot.");
        meter.CreateObservableGauge("takeoff.requests_waiting", () => PerReader(registry, r => r.QueuedSequences),
            "{request}", "Requests waiting for a batch slot.");
        meter.CreateObservableGauge("takeoff.readers", () => ReadersByState(registry), "{reader}",
            "Readers by consumer group and state: loading, ready, draining, dead, stopped.");
        // The three per-pod signals an inference gateway's endpoint picker reads (waiting, running, KV-cache use),
        // and the cache's shape beside them, as vLLM's cache_config_info gives it. llama.cpp keeps one cell per token,
        // so a "block" here is one cell.
        meter.CreateObservableGauge("takeoff.kv_cache_usage_ratio", () => PerCache(registry, m => (double)m.KvCellsInUse / m.KvCells),
            description: "KV-cache cells held by running sequences over all cells, 0 to 1, per loaded causal reader.");
        meter.CreateObservableGauge("takeoff.cache_config_info", () => PerCache(registry, _ => 1, m => [
                new("block_size", 1), new("num_blocks", m.KvCells), new("num_gpu_blocks", m.KvCells)]),
            description: "Always 1; the labels give each reader's KV cache: block_size (tokens per block) and num_blocks " +
                         "(num_gpu_blocks too, the label the model server protocol's readers parse, wherever the cache is).");
    }

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
}
