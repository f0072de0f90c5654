using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;
using Microsoft.Extensions.Logging;
using Takeoff.Engine.Diagnostics;
using Takeoff.Engine.Embedding;
using Takeoff.Engine.Models;
using Takeoff.Engine.Native;
using Takeoff.Engine.Quantization;
using Takeoff.Engine.Scheduling;
using Takeoff.Engine.Text;

namespace Takeoff.Engine.Readers;

/// <summary>
/// Loads a model file as its entry's kind asks: the weights, then the native parameters of a continuous-batching
/// context (causal) or an embedding context, chosen explicitly (LLamaSharp's defaults are not server defaults).
/// </summary>
internal static partial class ModelLoader
{
    private const int MinBatchSize = 512;

    /// <param name="telemetry">The reader's metrics and request log.</param>
    /// <param name="crashed">Told when a part of the model (the scheduler loop, the embedder) can no longer serve.</param>
    /// <param name="policy">How long a request may run, hold a slot while others wait, and spend on its grammar; null: the defaults.</param>
    /// <param name="modelsDirectory">Where a .jinja chat template named by the entry is looked for.</param>
    public static LoadedModel Load(ModelEntry entry, string path, string modelsDirectory, IDecoderFactory decoders, ReaderTelemetry telemetry,
        RequestPolicy? policy, TimeProvider time, ILoggerFactory loggers, Action<Exception> crashed)
    {
        var logger = loggers.CreateLogger<LoadedModel>();
        var nativeLibrary = NativeBackend.EnsureLoaded(logger);
        var device = NativeBackend.Resolve(entry.Device);
        var gpuLayers = device == ComputeDevice.Cuda ? entry.GpuLayers : 0;
        var weights = LLamaWeights.LoadFromFile(new ModelParams(path) { GpuLayerCount = gpuLayers });
        try
        {
            var chatTemplate = ChatTemplateOf(weights, entry, modelsDirectory, time);
            if (chatTemplate.IsDefault && entry.ModelType == ModelType.Causal)
                LogDefaultChatTemplate(logger, entry.Name);
            var causal = entry.ModelType == ModelType.Causal;
            var loaded = new LoadedWeights(entry, weights, device, nativeLibrary, new ModelText(weights, entry.Name), chatTemplate,
                FactsOf(path, weights, entry, causal), time);
            if (!causal)
                return new EmbeddingModel(loaded, new Embedder(weights, EmbeddingParameters(entry, path, weights, gpuLayers),
                    entry.MaxBatchSize + entry.MaxQueue, entry.Name, crashed));

            if (KvCacheTypes.Unsupported(entry.KvCacheType, weights.NativeHandle) is { } problem)
                throw new ModelFileException($"Model '{entry.Name}': {problem}");
            if (NativeLimits.MemoryProblem(entry.Name,
                    KvCacheTypes.Bytes(entry.KvCacheType, weights.NativeHandle, entry.ContextSize, entry.MaxBatchSize)) is { } tooLarge)
                throw new ModelFileException(tooLarge);
            var limits = new SchedulerLimits(entry.MaxBatchSize, entry.MaxQueue, entry.ContextSize, policy?.Timeout,
                TimeSlice: policy?.TimeSlice, Grammar: policy?.Grammar);
            var scheduler = new Scheduler(decoders.For(entry, weights, CausalParameters(entry, path, limits, gpuLayers), loaded.Text),
                limits, telemetry, time, loggers.CreateLogger<Scheduler>(), crashed);
            return new CausalModel(loaded, scheduler);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    private static ModelParams CausalParameters(ModelEntry entry, string path, SchedulerLimits limits, int gpuLayers)
    {
        var threads = entry.Threads ?? Environment.ProcessorCount;
        // One token per decoding sequence plus a prefill chunk: prefill never starves, however many slots there are.
        var batch = (uint)Math.Max(MinBatchSize, limits.MaxBatchSize + limits.PrefillChunk);
        return new ModelParams(path)
        {
            // One full context window per slot. Per-sequence KV (not unified) so that each sequence attends
            // only over its own cells: measured ~10x faster decode steps at 64 sequences on stories260K.
            ContextSize = (uint)(entry.ContextSize * entry.MaxBatchSize),
            SeqMax = (uint)entry.MaxBatchSize,
            KVUnified = false,
            BatchSize = batch,
            UBatchSize = batch,
            GpuLayerCount = gpuLayers,
            Threads = threads,
            BatchThreads = threads,
            TypeK = KvCacheTypes.Element(entry.KvCacheType),
            TypeV = KvCacheTypes.Element(entry.KvCacheType),
            // llama.cpp quantizes the V cache only with flash attention; otherwise it decides for itself.
            FlashAttention = KvCacheTypes.IsQuantized(entry.KvCacheType) ? true : null,
        };
    }

    private static ModelParams EmbeddingParameters(ModelEntry entry, string path, LLamaWeights weights, int gpuLayers)
    {
        var threads = entry.Threads ?? Environment.ProcessorCount;
        return new ModelParams(path)
        {
            // One batch holds a whole input: non-causal models cannot split it.
            ContextSize = (uint)entry.ContextSize,
            BatchSize = (uint)entry.ContextSize,
            UBatchSize = (uint)entry.ContextSize,
            // One sequence, not unified: under a unified KV llama.cpp's batch check walks every pair of its 256
            // possible sequences on every decode.
            SeqMax = 1,
            KVUnified = false,
            GpuLayerCount = gpuLayers,
            Threads = threads,
            BatchThreads = threads,
            Embeddings = true,
            PoolingType = EmbeddingPooling(weights),
        };
    }

    /// <summary>An embedding model's own pooling (CLS, mean, last), else the mean of the hidden states.</summary>
    private static LLamaPoolingType EmbeddingPooling(LLamaWeights weights) =>
        weights.Metadata.Any(m => m.Key.EndsWith(".pooling_type", StringComparison.Ordinal) && m.Value != "0")
            ? LLamaPoolingType.Unspecified
            : LLamaPoolingType.Mean;

    private static ChatTemplate ChatTemplateOf(LLamaWeights weights, ModelEntry entry, string modelsDirectory, TimeProvider time)
    {
        var metadata = weights.Metadata;
        return new ChatTemplate(metadata, entry.Name, entry.ChatTemplate, modelsDirectory,
            TokenText(weights, weights.Vocab.BOS), TokenText(weights, weights.Vocab.EOS), time);
    }

    /// <summary>A special token's text, as templates print bos_token and eos_token ("" when the vocabulary has none).</summary>
    private static string TokenText(LLamaWeights weights, LLamaToken? token)
    {
        if (token is not { } id)
            return "";
        Span<byte> buffer = stackalloc byte[256];
        var length = (int)weights.NativeHandle.TokenToSpan(id, buffer, 0, special: true);
        return Encoding.UTF8.GetString(buffer[..Math.Clamp(length, 0, buffer.Length)]);
    }

    private static ModelFacts FactsOf(string path, LLamaWeights weights, ModelEntry entry, bool causal) => new(
        path,
        new FileInfo(path).Length,
        WeightTypes.Name(weights.NativeHandle.FileType),
        entry.KvCacheType,
        causal ? KvCacheTypes.Bytes(entry.KvCacheType, weights.NativeHandle, entry.ContextSize, entry.MaxBatchSize) : null);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning,
        Message = "Model '{Model}' has no chat template (GGUF or models.json); chat requests are formatted with ChatML, as llama-server does")]
    private static partial void LogDefaultChatTemplate(ILogger logger, string model);
}
