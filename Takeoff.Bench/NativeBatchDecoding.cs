using LLama.Native;
using Takeoff.Engine.Native;

namespace Takeoff.Bench;

/// <summary>The benchmarks' decode: a failed one ends the run, since its timings would mean nothing.</summary>
internal static class NativeBatchDecoding
{
    public static void DecodeOrThrow(this NativeBatch batch, SafeLLamaContextHandle context)
    {
        if (batch.Decode(context) is var result && result != DecodeResult.Ok)
            throw new InvalidOperationException($"llama_decode failed: {result}");
    }
}
