using Takeoff.Engine.Errors;
using Takeoff.Engine.Models;

namespace Takeoff.Engine.Native;

/// <summary>
/// llama.cpp's own ceilings on a reader's settings, checked before a value reaches it: past them llama.cpp refuses the
/// context (and LLamaSharp 0.30 hands back a dead handle that crashes the process at the first decode) or aborts.
/// </summary>
internal static class NativeLimits
{
    /// <summary>LLAMA_MAX_SEQ: the most sequences (slots) one context holds.</summary>
    public const int MaxSequences = 256;

    /// <summary>GGML_MAX_N_THREADS.</summary>
    public const int MaxThreads = 512;

    /// <summary>Per sequence; llama.cpp counts cells in 32 bits and the whole context is this times the slots.</summary>
    public const int MaxContextSize = 1 << 20;

    public const int MinContextSize = 16;

    /// <summary>Requests one reader may queue; each holds its prompt in memory while it waits.</summary>
    public const int MaxQueue = 100_000;

    /// <summary>The first setting of <paramref name="entry"/> llama.cpp cannot take, and why; null when all fit.</summary>
    public static (EngineInput Input, string Problem)? Check(ModelEntry entry)
    {
        if (entry.MaxBatchSize is < 1 or > MaxSequences)
            return (EngineInput.MaxBatchSize, $"max_batch_size must be between 1 and {MaxSequences} (llama.cpp's most sequences per context); it was {entry.MaxBatchSize}.");
        if (entry.ContextSize is < MinContextSize or > MaxContextSize)
            return (EngineInput.ContextSize, $"the context size must be between {MinContextSize} and {MaxContextSize} tokens; it was {entry.ContextSize}.");
        if ((long)entry.ContextSize * entry.MaxBatchSize > int.MaxValue)
            return (EngineInput.ContextSize, $"context size × max_batch_size ({(long)entry.ContextSize * entry.MaxBatchSize}) exceeds llama.cpp's {int.MaxValue} cells.");
        if (entry.MaxQueue is < 0 or > MaxQueue)
            return (EngineInput.MaxQueue, $"max_queue must be between 0 and {MaxQueue}; it was {entry.MaxQueue}.");
        if (entry.Threads is < 1 or > MaxThreads)
            return (EngineInput.Threads, $"threads must be between 1 and {MaxThreads}; it was {entry.Threads}.");
        if (entry.GpuLayers < 0)
            return (EngineInput.GpuLayers, $"gpu_layers must be 0 or more; it was {entry.GpuLayers}.");
        return null;
    }

    /// <summary>
    /// Refuses a KV cache larger than this machine's memory before llama.cpp tries to allocate it (a failed allocation
    /// there is an abort, not an error).
    /// </summary>
    public static string? MemoryProblem(string modelName, long kvCacheBytes)
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return kvCacheBytes > available
            ? $"Model '{modelName}': its KV cache needs {kvCacheBytes / 1048576.0:F0} MiB (context size × max_batch_size), " +
              $"more than the {available / 1048576.0:F0} MiB of memory this process may use; lower max_batch_size or the context size."
            : null;
    }
}
