using LLama.Native;

namespace Takeoff.Engine.Sampling;

/// <summary>The candidate arrays llama.cpp's samplers work on, written into a buffer a loop reuses.</summary>
internal static class Candidates
{
    /// <summary>Writes every token of <paramref name="logits"/> into <paramref name="buffer"/>, in token order; returns the count.</summary>
    public static int All(ReadOnlySpan<float> logits, LLamaTokenData[] buffer)
    {
        for (var i = 0; i < logits.Length; i++)
            buffer[i] = new LLamaTokenData(i, logits[i], 0);
        return logits.Length;
    }
}
