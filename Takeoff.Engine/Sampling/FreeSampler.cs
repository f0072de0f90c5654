using System.Numerics.Tensors;
using LLama.Native;

namespace Takeoff.Engine.Sampling;

/// <summary>
/// A free choice's sampler: its llama.cpp chain, applied to candidates written into a buffer the decoder reuses.
/// llama.cpp's own <c>llama_sampler_sample</c> allocates a vocabulary-sized candidate array on every call (1.8 MB for a
/// 152k vocabulary: about 0.5 ms of page faults per token, measured); llama-server keeps one array, and so do we.
/// Without penalties (which change logits before any filter), two shortcuts give llama.cpp's own answer for less:
/// greedy is the first token of highest logit, as llama.cpp's greedy sampler picks it, found by a vectorized scan;
/// with a small top-k, only the k likeliest tokens become candidates, already sorted, which is what the chain's top-k would
/// have left (temperature and top-k commute), so the chain then draws the same token from the same seed.
/// </summary>
internal sealed class FreeSampler : IDisposable
{
    private readonly SafeLLamaSamplerChainHandle _chain;
    private readonly LLamaTokenData[] _candidates;
    private readonly bool _argmax;
    private readonly int _topK;
    private readonly int[] _topTokens = [];
    private readonly float[] _topLogits = [];

    /// <summary>
    /// The largest top-k that is prefiltered: TopLogits inserts into a sorted list, which costs up to k moves per
    /// token, so a request's top-k of 150,000 would stall the loop; larger k are left to the chain's own top-k (a
    /// partial sort), as llama.cpp itself switches method above 128.
    /// </summary>
    private const int MostPrefiltered = 128;

    /// <param name="candidates">A vocabulary-sized buffer shared by the choices of one loop (they sample one at a time).</param>
    public FreeSampler(SamplingSettings settings, int penaltyWindow, LLamaToken[] prompt, LLamaTokenData[] candidates)
    {
        _chain = SamplerChains.Build(settings, penaltyWindow, prompt);
        _candidates = candidates;
        _argmax = settings.IsArgmax;
        if (!_argmax && !settings.HasPenalties && settings.TopK is > 0 and <= MostPrefiltered && settings.TopK < candidates.Length)
        {
            _topK = settings.TopK;
            _topTokens = new int[_topK];
            _topLogits = new float[_topK];
        }
    }

    /// <summary>Samples from <paramref name="logits"/> and accepts the token into the chain (penalties).</summary>
    public LLamaToken Sample(ReadOnlySpan<float> logits)
    {
        if (_argmax)
            return TensorPrimitives.IndexOfMax(logits);
        var count = _topK > 0 ? TopCandidates(logits) : Candidates.All(logits, _candidates);
        LLamaToken token;
        using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(_candidates.AsMemory(0, count), isSorted: _topK > 0), out var native))
        {
            _chain.Apply(ref native);
            token = native.Data[(int)native.Selected].ID;
        }
        _chain.Accept(token);
        return token;
    }

    private int TopCandidates(ReadOnlySpan<float> logits)
    {
        var count = TopLogits.Select(logits, _topK, _topTokens, _topLogits);
        for (var i = 0; i < count; i++)
            _candidates[i] = new LLamaTokenData(_topTokens[i], _topLogits[i], 0);
        return count;
    }

    public void Dispose() => _chain.Dispose();
}
