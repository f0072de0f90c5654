namespace Takeoff.Engine.Readers;

/// <summary>What a loaded reader holds in memory, as an operator sizing a machine wants to know it.</summary>
/// <param name="File">The GGUF file loaded: the models.json file, or its quantized copy in the cache.</param>
/// <param name="FileBytes">Its size on disk.</param>
/// <param name="WeightType">Its weight type from the GGUF header, as llama-quantize names it ("f32", "q8_0"...).</param>
/// <param name="KvCacheType">Element type of the KV cache.</param>
/// <param name="KvCacheBytes">The KV cache's memory, for every slot's full context (null for embedding models, which keep none).</param>
public sealed record ModelFacts(string File, long FileBytes, string WeightType, string KvCacheType, long? KvCacheBytes)
{
    /// <summary>Where the chat template comes from: "gguf", a .jinja file, "llama.cpp: name" or "chatml (default)".</summary>
    public string? ChatTemplate { get; init; }
}
