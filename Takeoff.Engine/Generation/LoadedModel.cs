using System.Text;
using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Native;
using Microsoft.Extensions.Logging;
using Takeoff.Engine.Models;
using Takeoff.Engine.Native;
using Takeoff.Engine.Scheduling;

namespace Takeoff.Engine.Generation;

/// <summary>A model in memory with its own scheduler: the thing a consumer group routes requests to.</summary>
public sealed class LoadedModel : IAsyncDisposable
{
    private const int BatchSize = 512;

    private readonly LLamaWeights _weights;
    private readonly Scheduler _scheduler;

    private LoadedModel(ModelEntry entry, ComputeDevice device, string nativeLibrary, LLamaWeights weights,
        Scheduler scheduler)
    {
        Entry = entry;
        Device = device;
        NativeLibrary = nativeLibrary;
        _weights = weights;
        _scheduler = scheduler;
    }

    public ModelEntry Entry { get; }

    public ComputeDevice Device { get; }

    public string NativeLibrary { get; }

    /// <summary>Context window of one sequence.</summary>
    public int ContextSize => Entry.ContextSize;

    public int ActiveSequences => _scheduler.ActiveCount;

    public int QueuedRequests => _scheduler.QueuedCount;

    public static LoadedModel Load(ModelEntry entry, string path, EngineMetrics metrics, TimeProvider time,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger<LoadedModel>();
        var nativeLibrary = NativeBackend.EnsureLoaded(logger);
        var device = NativeBackend.Resolve(entry.Device);
        var threads = entry.Threads ?? Environment.ProcessorCount;
        var parameters = new ModelParams(path)
        {
            // One full context window per slot. Per-sequence KV (not unified) so that each sequence attends
            // only over its own cells: measured ~10x faster decode steps at 64 sequences on stories260K.
            ContextSize = (uint)(entry.ContextSize * entry.MaxBatchSize),
            SeqMax = (uint)entry.MaxBatchSize,
            KVUnified = false,
            BatchSize = BatchSize,
            UBatchSize = BatchSize,
            GpuLayerCount = device == ComputeDevice.Cuda ? entry.GpuLayers : 0,
            Threads = threads,
            BatchThreads = threads,
        };

        var weights = LLamaWeights.LoadFromFile(parameters);
        try
        {
            var scheduler = new Scheduler(() => new BatchedExecutor(weights, parameters),
                new SchedulerLimits(entry.MaxBatchSize, entry.MaxQueue, entry.ContextSize),
                EndOfGenerationTokens(weights.Vocab), entry.Name, metrics, time, loggers.CreateLogger<Scheduler>());
            return new LoadedModel(entry, device, nativeLibrary, weights, scheduler);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Validates and tokenizes on the caller's thread, then queues the request. Refusals (prompt too long,
    /// queue full) are thrown here, before the caller has written anything, so they can become 4xx/503.
    /// </summary>
    public IAsyncEnumerable<TokenPiece> Generate(GenerationRequest request, CancellationToken cancellation)
    {
        var tokens = TokenizePrompt(request.Prompt, request.PromptMaxTokens);
        return _scheduler.Submit(new PreparedRequest(request, tokens), cancellation).ReadAllAsync(cancellation);
    }

    internal LLamaToken[] TokenizePrompt(string prompt, int? maxTokens)
    {
        var tokens = _weights.Tokenize(prompt, true, false, Encoding.UTF8);
        tokens = PromptTruncation.KeepEnd(tokens, maxTokens, _weights.Vocab.BOS);
        if (tokens.Length >= ContextSize)
            throw new EngineException(EngineError.InvalidArgument,
                $"The prompt is {tokens.Length} tokens but the context window of '{Entry.Name}' is {ContextSize}; " +
                "shorten it or set prompt_max_tokens.", "text");
        return tokens;
    }

    private static int[] EndOfGenerationTokens(SafeLlamaModelHandle.Vocabulary vocabulary) =>
        Enumerable.Range(0, vocabulary.Count).Where(t => ((LLamaToken)t).IsEndOfGeneration(vocabulary)).ToArray();

    public async ValueTask DisposeAsync()
    {
        await _scheduler.DisposeAsync();
        _weights.Dispose();
    }
}
