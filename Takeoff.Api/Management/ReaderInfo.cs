using Takeoff.Engine.Readers;

namespace Takeoff.Api.Management;

/// <summary>One reader as the management API lists it.</summary>
/// <param name="ReaderId">Id for /config, DELETE /reader and the tokenizer endpoints.</param>
/// <param name="ModelName">The models.json entry or .gguf file it serves.</param>
/// <param name="Device">"cpu" or "cuda" once loaded; the requested device ("auto") before.</param>
/// <param name="ModelType">"CAUSAL" (generation) or "EMBEDDING".</param>
/// <param name="ConsumerGroup">The group whose requests it serves.</param>
/// <param name="Ready">Serving requests.</param>
/// <param name="State">"loading", "ready" or "dead".</param>
/// <param name="Error">Why the load failed (dead readers only).</param>
/// <param name="MaxBatchSize">Sequences decoded together.</param>
/// <param name="ContextSize">Context window of one sequence, in tokens.</param>
/// <param name="Pids">Processes serving it (readers run in the server's process).</param>
/// <param name="WeightType">The loaded file's weight type from its GGUF header ("f32", "q8_0"...); null until loaded.</param>
/// <param name="FileSizeBytes">The loaded file's size on disk; null until loaded.</param>
/// <param name="KvCacheType">Element type of the KV cache.</param>
/// <param name="KvCacheBytes">Memory of the KV cache (every slot's full context); null until loaded, and for embedding models.</param>
/// <param name="ChatTemplate">Where its chat template comes from: "gguf", a .jinja file, "llama.cpp: name" or "chatml (default)"; null until loaded.</param>
public sealed record ReaderInfo(
    string ReaderId,
    string ModelName,
    string Device,
    string ModelType,
    string ConsumerGroup,
    bool Ready,
    string State,
    string? Error,
    int MaxBatchSize,
    int ContextSize,
    IReadOnlyList<int> Pids,
    string? WeightType,
    long? FileSizeBytes,
    string KvCacheType,
    long? KvCacheBytes,
    string? ChatTemplate)
{
    public static ReaderInfo From(ReaderSnapshot reader) => new(
        reader.Id,
        reader.Entry.Name,
        ManagementNames.Of(reader.Device),
        ManagementNames.Of(reader.Entry.ModelType),
        reader.Entry.ConsumerGroup,
        reader.State == ReaderState.Ready,
        ManagementNames.Of(reader.State),
        reader.Error,
        reader.Entry.MaxBatchSize,
        reader.Entry.ContextSize,
        [Environment.ProcessId],
        reader.Facts?.WeightType,
        reader.Facts?.FileBytes,
        reader.Entry.KvCacheType,
        reader.Facts?.KvCacheBytes,
        reader.Facts?.ChatTemplate);
}
