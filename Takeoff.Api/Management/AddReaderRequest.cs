using System.ComponentModel.DataAnnotations;
using Takeoff.Api.Hosting;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Models;
using Takeoff.Engine.Readers;

namespace Takeoff.Api.Management;

/// <summary>
/// Body of <c>POST /reader</c>: which model to serve and how. Fields left out keep the models.json entry's values
/// (or the defaults, for a bare .gguf file); unknown keys are ignored.
/// </summary>
public sealed class AddReaderRequest : IValidatableObject, IWireNames
{
    /// <summary>A models.json entry, or a .gguf file path relative to the models directory.</summary>
    /// <example>stories260K</example>
    [Required]
    public string? ModelName { get; set; }

    /// <summary>"auto", "cpu" or "cuda".</summary>
    /// <example>cpu</example>
    public string? Device { get; set; }

    /// <summary>The group whose requests this reader serves.</summary>
    /// <example>secondary</example>
    public string? ConsumerGroup { get; set; }

    /// <summary>Sequences decoded together (continuous-batching slots).</summary>
    /// <example>8</example>
    /// <remarks>1 to 256 (llama.cpp's most sequences per context), checked by the engine.</remarks>
    public int? MaxBatchSize { get; set; }

    /// <summary>Context window of one sequence, in tokens.</summary>
    /// <example>1024</example>
    public int? MaxSeqLength { get; set; }

    /// <summary>Requests that may wait for a slot before the reader answers 503.</summary>
    public int? MaxQueue { get; set; }

    /// <summary>"CAUSAL" (generation) or "EMBEDDING".</summary>
    /// <example>CAUSAL</example>
    public string? ModelType { get; set; }

    /// <summary>
    /// Quantize the weights on load to this llama.cpp type (q8_0, q6_k, q5_k_m, q4_k_m, q4_0...): once, into the models
    /// directory's cache, then reused.
    /// </summary>
    /// <example>q8_0</example>
    public string? Quantize { get; set; }

    /// <summary>Allow quantize on a file that is quantized already (it loses more quality than quantizing the original).</summary>
    public bool? AllowRequantize { get; set; }

    /// <summary>Element type of the KV cache: "f16" (default), "q8_0" or "q4_0".</summary>
    /// <example>q8_0</example>
    public string? KvCacheType { get; set; }

    /// <remarks>Member names are wire names: MVC reports them as they are given here.</remarks>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Device is not null && !Enum.TryParse<ComputeDevice>(Device, ignoreCase: true, out _))
            yield return new ValidationResult("device must be \"auto\", \"cpu\" or \"cuda\".", ["device"]);
        if (ModelType is not null && !Enum.TryParse<ModelType>(ModelType, ignoreCase: true, out _))
            yield return new ValidationResult("model_type must be \"CAUSAL\" or \"EMBEDDING\".", ["model_type"]);
        if (ConsumerGroup is { Length: 0 })
            yield return new ValidationResult("consumer_group must not be empty.", ["consumer_group"]);
        if (ModelName is { Length: 0 })
            yield return new ValidationResult("model_name must not be empty.", ["model_name"]);
    }

    /// <summary>The fields of this body the engine may refuse (threads and GPU layers come from models.json, not from here).</summary>
    public string? NameOf(EngineInput input) => input switch
    {
        EngineInput.ModelSource => "model_name",
        EngineInput.Target => "consumer_group",
        EngineInput.Quantize => "quantize",
        EngineInput.KvCacheType => "kv_cache_type",
        EngineInput.MaxBatchSize => "max_batch_size",
        EngineInput.ContextSize => "max_seq_length",
        EngineInput.MaxQueue => "max_queue",
        _ => null,
    };

    public ReaderOverrides ToOverrides() => new()
    {
        Device = Device is null ? null : Enum.Parse<ComputeDevice>(Device, ignoreCase: true),
        ConsumerGroup = ConsumerGroup,
        MaxBatchSize = MaxBatchSize,
        ContextSize = MaxSeqLength,
        MaxQueue = MaxQueue,
        ModelType = ModelType is null ? null : Enum.Parse<ModelType>(ModelType, ignoreCase: true),
        Quantize = Quantize?.ToLowerInvariant(),
        AllowRequantize = AllowRequantize,
        KvCacheType = KvCacheType?.ToLowerInvariant(),
    };
}
