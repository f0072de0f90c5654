using Takeoff.Engine.Readers;

namespace Takeoff.Api.Management;

/// <summary>
/// A reader's effective configuration: its models.json entry with the overrides it was started with, and once loaded
/// what it holds (the chat template in use, e.g. "gguf" or "chatml (default)", instead of the entry's setting; the file it loaded, which is the quantized copy when it quantizes, its weight type and sizes).
/// </summary>
public sealed record ReaderConfig(
    string ReaderId,
    string ModelName,
    string File,
    string? Url,
    string? Sha256,
    string ModelType,
    string ConsumerGroup,
    string Device,
    int GpuLayers,
    int? Threads,
    int ContextSize,
    int MaxBatchSize,
    int MaxQueue,
    string? ChatTemplate,
    string State,
    string? Error,
    string? Quantize,
    bool AllowRequantize,
    string KvCacheType,
    string? LoadedFile,
    string? WeightType,
    long? FileSizeBytes,
    long? KvCacheBytes)
{
    public static ReaderConfig From(ReaderSnapshot reader)
    {
        var entry = reader.Entry;
        return new ReaderConfig(reader.Id, entry.Name, entry.File, entry.Url, entry.Sha256,
            ManagementNames.Of(entry.ModelType), entry.ConsumerGroup, ManagementNames.Of(entry.Device),
            entry.GpuLayers, entry.Threads, entry.ContextSize, entry.MaxBatchSize, entry.MaxQueue, reader.Facts?.ChatTemplate ?? entry.ChatTemplate,
            ManagementNames.Of(reader.State), reader.Error, entry.Quantize, entry.AllowRequantize, entry.KvCacheType,
            reader.Facts?.File, reader.Facts?.WeightType, reader.Facts?.FileBytes, reader.Facts?.KvCacheBytes);
    }
}
