using Takeoff.Engine.Models;

namespace Takeoff.Engine.Readers;

/// <summary>Settings a management request may change on the models.json entry it starts a reader from; null keeps the entry's.</summary>
public sealed record ReaderOverrides
{
    public ComputeDevice? Device { get; init; }

    public string? ConsumerGroup { get; init; }

    public int? MaxBatchSize { get; init; }

    public int? ContextSize { get; init; }

    public int? MaxQueue { get; init; }

    public ModelType? ModelType { get; init; }

    /// <summary>A weight type to quantize to on load; see <see cref="ModelEntry.Quantize"/>.</summary>
    public string? Quantize { get; init; }

    public bool? AllowRequantize { get; init; }

    public string? KvCacheType { get; init; }

    public ModelEntry ApplyTo(ModelEntry entry) => entry with
    {
        Device = Device ?? entry.Device,
        ConsumerGroup = ConsumerGroup ?? entry.ConsumerGroup,
        MaxBatchSize = MaxBatchSize ?? entry.MaxBatchSize,
        ContextSize = ContextSize ?? entry.ContextSize,
        MaxQueue = MaxQueue ?? entry.MaxQueue,
        ModelType = ModelType ?? entry.ModelType,
        Quantize = Quantize ?? entry.Quantize,
        AllowRequantize = AllowRequantize ?? entry.AllowRequantize,
        KvCacheType = KvCacheType ?? entry.KvCacheType,
    };
}
