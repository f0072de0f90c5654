using System.Numerics.Tensors;
using LLama.Native;

namespace Takeoff.Engine.Sampling;

/// <summary>
/// A free choice's sampler: its llama.cpp chain, applied to candidates written into a buffer the decoder reuses.
/// llama.cpp's own <c>llama_sampler_sample</c> allocates a vocabulary-sized candidate array on every call (1.8 MB for a
/// 152k vocabulary: about 0.5 ms of page faults per token, measured); llama-server keeps one array, and so do we.
/// Greedy choices without penalties skip the chain: the answer is the first token of highest logit, as llama.cpp's
/// greedy sampler picks it, found by a vectorized scan.
/// </summary>
internal sealed class FreeSampler : IDisposable
{
    private readonly SafeLLamaSamplerChainHandle _chain;
    private readonly LLamaTokenData[] _candidates;
    private readonly bool _argmax;

    /// <param name="candidates">A vocabulary-sized buffer shared by the choices of one loop (they sample one at a time).</param>
    public FreeSampler(SamplingSettings settings, int penaltyWindow, LLamaToken[] prompt, LLamaTokenData[] candidates)
    {
        _chain = SamplerChains.Build(settings, penaltyWindow, prompt);
        _candidates = candidates;
        _argmax = settings.IsGreedy && !settings.HasPenalties;
    }

    /// <summary>Samples from <paramref name="logits"/> and accepts the token into the chain (penalties).</summary>
    public LLamaToken Sample(ReadOnlySpan<float> logits)
    {
        if (_argmax)
            return TensorPrimitives.IndexOfMax(logits);
        for (var i = 0; i < logits.Length; i++)
            _candidates[i] = new LLamaTokenData(i, logits[i], 0);
        LLamaToken token;
        using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(_candidates.AsMemory(0, logits.Length)), out var native))
        {
            _chain.Apply(ref native);
            token = native.Data[(int)native.Selected].ID;
        }
        _chain.Accept(token);
        return token;
    }

    public void Dispose() => _chain.Dispose();
}
