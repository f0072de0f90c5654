using LLama.Native;

namespace Takeoff.Engine.Quantization;

/// <summary>
/// The element types a reader's KV cache can hold. A quantized cache takes half (q8_0) or about a quarter (q4_0) of
/// the memory of f16 per token; llama.cpp can quantize the V cache only with flash attention, which is then turned on.
/// </summary>
internal static class KvCacheTypes
{
    public const string Default = "f16";

    private static readonly Dictionary<string, (GGMLType Type, double BytesPerElement)> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["f16"] = (GGMLType.GGML_TYPE_F16, 2),
        // Blocks of 32 values: one f16 scale plus 32 bytes (q8_0) or 16 bytes (q4_0).
        ["q8_0"] = (GGMLType.GGML_TYPE_Q8_0, 34.0 / 32),
        ["q4_0"] = (GGMLType.GGML_TYPE_Q4_0, 18.0 / 32),
    };

    public static IReadOnlyCollection<string> Names => Types.Keys;

    /// <summary>Why <paramref name="name"/> cannot be a KV cache type, or null when it can.</summary>
    public static string? Problem(string name) => Types.ContainsKey(name)
        ? null
        : $"'{name}' is not a KV cache type; use one of {string.Join(", ", Names)}.";

    /// <summary>
    /// Why this model cannot keep its cache in <paramref name="name"/>, or null. A quantized cache is read head by head
    /// in blocks of 32 values; a head of another width crashes llama.cpp at the first decode (stories260K's are 8 wide).
    /// </summary>
    internal static string? Unsupported(string name, SafeLlamaModelHandle model)
    {
        var headWidth = model.EmbeddingSize / model.HeadCount;
        return IsQuantized(name) && headWidth % 32 != 0
            ? $"kv_cache_type {name} stores the cache in blocks of 32 values, but each attention head of this model holds " +
              $"{headWidth}; use {Default}."
            : null;
    }

    internal static GGMLType Element(string name) => Types[name].Type;

    internal static bool IsQuantized(string name) => !string.Equals(name, Default, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The bytes of the cache of <paramref name="sequences"/> sequences of <paramref name="contextSize"/> tokens, as
    /// llama.cpp sizes it: each sequence's cells padded to a multiple of 256, and per layer K and V each holding one
    /// row of (embedding / heads) × KV heads values per cell. (The benchmark prints llama.cpp's own line beside it.)
    /// </summary>
    internal static long Bytes(string name, SafeLlamaModelHandle model, int contextSize, int sequences)
    {
        var cells = (long)(contextSize + 255) / 256 * 256 * sequences;
        var rowValues = (long)model.EmbeddingSize / model.HeadCount * model.KVHeadCount;
        return (long)(2 * model.LayerCount * cells * rowValues * Types[name].BytesPerElement);
    }
}
