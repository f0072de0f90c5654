using LLama.Native;

namespace Takeoff.Engine.Quantization;

/// <summary>
/// llama.cpp's weight file types by the names <c>llama-quantize</c> gives them. A reader can quantize to those that
/// need no importance matrix (the IQ types do, and LLamaSharp's quantizer cannot pass one).
/// </summary>
internal static class WeightTypes
{
    private static readonly Dictionary<string, LLamaFtype> Targets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["q8_0"] = LLamaFtype.MOSTLY_Q8_0,
        ["q6_k"] = LLamaFtype.MOSTLY_Q6_K,
        ["q5_k_m"] = LLamaFtype.MOSTLY_Q5_K_M,
        ["q5_k_s"] = LLamaFtype.MOSTLY_Q5_K_S,
        ["q5_1"] = LLamaFtype.MOSTLY_Q5_1,
        ["q5_0"] = LLamaFtype.MOSTLY_Q5_0,
        ["q4_k_m"] = LLamaFtype.MOSTLY_Q4_K_M,
        ["q4_k_s"] = LLamaFtype.MOSTLY_Q4_K_S,
        ["q4_1"] = LLamaFtype.MOSTLY_Q4_1,
        ["q4_0"] = LLamaFtype.MOSTLY_Q4_0,
        ["q3_k_l"] = LLamaFtype.MOSTLY_Q3_K_L,
        ["q3_k_m"] = LLamaFtype.MOSTLY_Q3_K_M,
        ["q3_k_s"] = LLamaFtype.MOSTLY_Q3_K_S,
        ["q2_k"] = LLamaFtype.MOSTLY_Q2_K,
        ["f16"] = LLamaFtype.MOSTLY_F16,
        ["bf16"] = LLamaFtype.MOSTLY_BF16,
    };

    /// <summary>The names a reader can quantize to, best quality first.</summary>
    public static IReadOnlyCollection<string> Names => Targets.Keys;

    /// <summary>The file type for a name, or null when it is none of <see cref="Names"/>.</summary>
    internal static LLamaFtype? TryParse(string name) => Targets.TryGetValue(name, out var type) ? type : null;

    /// <summary>Why <paramref name="name"/> cannot be a quantization target, or null when it can.</summary>
    public static string? Problem(string name) => TryParse(name) is null
        ? $"'{name}' is not a weight type this server can quantize to; use one of {string.Join(", ", Names)}."
        : null;

    /// <summary>
    /// A file's type as llama-quantize names it: "f32", "q8_0", "q4_k_m"... A file whose header names none has its
    /// type guessed by llama.cpp from its tensors, flagged GUESSED: the flag is dropped.
    /// </summary>
    internal static string Name(LLamaFtype type) => (type & ~LLamaFtype.GUESSED) switch
    {
        LLamaFtype.ALL_F32 => "f32",
        var known when Targets.FirstOrDefault(t => t.Value == known) is { Key: { } name } => name,
        // Types outside the targets (IQ types, ternary...): the enum's name, as llama.cpp spells it.
        var other => other.ToString().Replace("LLAMA_FTYPE_", "", StringComparison.Ordinal).Replace("MOSTLY_", "", StringComparison.Ordinal).ToLowerInvariant(),
    };

    /// <summary>Weights already quantized: quantizing them again loses more than quantizing the original would.</summary>
    internal static bool IsQuantized(LLamaFtype type) => type is not (LLamaFtype.ALL_F32 or LLamaFtype.MOSTLY_F16 or LLamaFtype.MOSTLY_BF16);
}
