namespace Takeoff.Engine.Models;

/// <summary>
/// One model of <c>models.json</c>: where its weights are and how a reader serves it. Entries with
/// <see cref="Boot"/> become readers at startup; any entry can be started later through the management API.
/// </summary>
public sealed record ModelEntry
{
    public required string Name { get; init; }

    /// <summary>Path of the GGUF file, relative to the models directory.</summary>
    public required string File { get; init; }

    /// <summary>Where to download the file from when it is missing (optional).</summary>
    public string? Url { get; init; }

    /// <summary>Expected sha256 of the file, checked after a download.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Context window of each sequence, in tokens (the KV cache holds one per batch slot).</summary>
    public int ContextSize { get; init; } = 2048;

    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;

    /// <summary>Layers offloaded to the GPU when the device is CUDA; the default offloads all of them.</summary>
    public int GpuLayers { get; init; } = 999;

    /// <summary>CPU threads for decoding; null lets the engine use every core.</summary>
    public int? Threads { get; init; }

    /// <summary>The group a reader serves when its entry names none, and the one a request without a target reaches.</summary>
    public const string DefaultConsumerGroup = "primary";

    public string ConsumerGroup { get; init; } = DefaultConsumerGroup;

    public ModelType ModelType { get; init; } = ModelType.Causal;

    /// <summary>Start a reader for this entry when the server starts.</summary>
    public bool Boot { get; init; } = true;

    /// <summary>
    /// Chat template used when the GGUF has none: a llama.cpp template name such as "chatml" or "llama3".
    /// The model's own template, when it has one, wins.
    /// </summary>
    public string? ChatTemplate { get; init; }

    /// <summary>Sequences decoded together in one step (continuous-batching slots).</summary>
    public int MaxBatchSize { get; init; } = 16;

    /// <summary>Requests that may wait for a slot; beyond this the server answers 503.</summary>
    public int MaxQueue { get; init; } = 64;

    /// <summary>
    /// A weight type to quantize the file to on load ("q8_0", "q4_k_m"..., see <see cref="Quantization.WeightTypes"/>):
    /// done once into the models directory's cache, then reused. Null serves the file as it is.
    /// </summary>
    public string? Quantize { get; init; }

    /// <summary>Allow <see cref="Quantize"/> on a file that is quantized already (it loses more quality).</summary>
    public bool AllowRequantize { get; init; }

    /// <summary>Element type of the KV cache: "f16", "q8_0" or "q4_0" (see <see cref="Quantization.KvCacheTypes"/>).</summary>
    public string KvCacheType { get; init; } = Quantization.KvCacheTypes.Default;
}
