using System.Runtime.InteropServices;
using LLama;
using LLama.Native;

namespace Takeoff.Engine.Native;

/// <summary>
/// The few llama.cpp functions called past LLamaSharp's wrappers, looked up in the library LLamaSharp loaded (its import
/// resolver answers for "llama" on behalf of its own assembly), with the types LLamaSharp declares for them.
/// </summary>
internal static unsafe class LlamaExports
{
    private static readonly Lazy<IntPtr> Library = new(() => NativeLibrary.Load("llama", typeof(LLamaWeights).Assembly, null));

    private static readonly Lazy<IntPtr> DecodeExport = new(() => NativeLibrary.GetExport(Library.Value, "llama_decode"));

    private static readonly Lazy<IntPtr> ChainGetExport = new(() => NativeLibrary.GetExport(Library.Value, "llama_sampler_chain_get"));

    /// <summary><c>llama_decode(ctx, batch)</c>: 0 on success, 1 when the KV cache has no room, negative on error.</summary>
    public static int Decode(IntPtr context, LLamaNativeBatch batch) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, LLamaNativeBatch, int>)DecodeExport.Value)(context, batch);

    /// <summary><c>llama_sampler_chain_get(chain, i)</c>: the chain's i-th stage, NULL where there is none.</summary>
    public static IntPtr SamplerChainGet(IntPtr chain, int index) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)ChainGetExport.Value)(chain, index);

    /// <summary>
    /// LLamaSharp's lock around every decode (llama.cpp's CUDA backend is not safe for two decodes at once, even of two
    /// models): decodes made here hold it too, so they never overlap one LLamaSharp makes (the embedders').
    /// </summary>
    [System.Runtime.CompilerServices.UnsafeAccessor(System.Runtime.CompilerServices.UnsafeAccessorKind.StaticField, Name = "GlobalInferenceLock")]
    public static extern ref object InferenceLock(SafeLLamaContextHandle? any);
}
