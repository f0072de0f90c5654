using System.Diagnostics;
using System.Numerics.Tensors;
using LLama.Native;

namespace Takeoff.Engine.Sampling;

/// <summary>
/// A constrained choice's sampler: its chain and, apart, its grammar (which never sees the prompt). As llama-server
/// does, it first samples as if free and keeps that token when the grammar allows it (testing one token is cheap,
/// filtering the whole vocabulary is not); otherwise it samples again among the tokens the grammar allows. Either way
/// the result is a true sample of the constrained distribution: p(x) + p(refused)·p(x | allowed) = p(x) / p(allowed).
/// Greedy choices on a large vocabulary take a shortcut that gives the same token: the likeliest few tokens are tested
/// one by one, and the first the grammar allows is the answer; only when none of them is allowed is the vocabulary
/// filtered, a band of the likeliest tokens at a time.
/// Each token is accepted exactly once by each chain (twice aborts llama.cpp's grammar).
/// </summary>
internal sealed class ConstrainedSampler : IDisposable
{
    private readonly SafeLLamaSamplerChainHandle _chain;
    private readonly SafeLLamaSamplerChainHandle _grammar;
    private readonly LLamaTokenData[] _candidates;
    private readonly LLamaTokenData[] _single = new LLamaTokenData[1];
    // Greedy without penalties: the answer is the allowed token of highest logit, so the likeliest are tried first.
    private readonly bool _greedy;
    private readonly int[] _likeliest = new int[LikeliestTried];
    private readonly float[] _likeliestLogits = new float[LikeliestTried];
    private long _grammarTicks;

    /// <summary>
    /// Tokens a greedy choice tests one by one before it filters the vocabulary. llama.cpp's grammar costs per
    /// candidate, and a 152k-token vocabulary made a full pass 10-100 ms; a handful of single tests cost microseconds.
    /// </summary>
    private const int LikeliestTried = 32;

    /// <summary>Tokens per band of a greedy choice's banded grammar pass (a 20th of a 152k vocabulary).</summary>
    private const int BandTokens = 8192;

    private readonly float[] _edges = new float[1024];

    /// <param name="candidates">A vocabulary-sized buffer shared by the choices of one loop (they sample one at a time).</param>
    public ConstrainedSampler(SamplingSettings settings, int penaltyWindow, LLamaToken[] prompt,
        SafeLLamaSamplerChainHandle grammar, LLamaTokenData[] candidates)
    {
        _chain = SamplerChains.Build(settings, penaltyWindow, prompt);
        _grammar = grammar;
        _candidates = candidates;
        _greedy = settings.IsArgmax;
    }

    /// <summary>Time spent in llama.cpp's grammar (apply, accept) for this choice so far.</summary>
    public TimeSpan GrammarTime => TimeSpan.FromSeconds((double)_grammarTicks / Stopwatch.Frequency);

    /// <summary>Tokens sampled so far.</summary>
    public int Sampled { get; private set; }

    /// <param name="logits">The logits under the request's hard constraints (min tokens, n-grams).</param>
    /// <param name="unconstrained">The same logits without them: where they leave no token the grammar allows, the grammar wins.</param>
    /// <returns>The token, or null when no token of the vocabulary can continue the grammar here.</returns>
    public LLamaToken? Sample(ReadOnlySpan<float> logits, ReadOnlySpan<float> unconstrained, SafeLlamaModelHandle.Vocabulary vocabulary)
    {
        var token = _greedy ? Likeliest(logits) : Select(logits, throughGrammar: false);
        if (token is not { } free || !Allows(free))
            token = (_greedy ? BestAllowed(logits) : Select(logits, throughGrammar: true))
                ?? Select(unconstrained, throughGrammar: true);
        if (token is null)
            return null;
        var chosen = token.Value;
        _chain.Accept(chosen);
        Sampled++;
        // End-of-generation ends the choice; the grammar, complete at that point, has nothing more to learn.
        if (!chosen.IsEndOfGeneration(vocabulary))
            AcceptIntoGrammar(chosen);
        return chosen;
    }

    /// <summary>
    /// Accepts into the grammar (only) text the answer already holds: a tool call that opened before its grammar switched
    /// on. Every token is tested first, since accepting one the grammar refuses aborts llama.cpp; false at the first refusal.
    /// </summary>
    public bool Feed(IEnumerable<LLamaToken> tokens)
    {
        foreach (var token in tokens)
        {
            if (!Allows(token))
                return false;
            AcceptIntoGrammar(token);
        }
        return true;
    }

    /// <summary>Greedy's free draw: the first token of highest logit, as llama.cpp's greedy sampler picks it.</summary>
    private static LLamaToken? Likeliest(ReadOnlySpan<float> logits) =>
        TensorPrimitives.IndexOfMax(logits) is var token && !float.IsNegativeInfinity(logits[token]) ? token : null;

    /// <summary>The allowed token of highest logit among the likeliest few, or null when none of them is allowed.</summary>
    private LLamaToken? LikeliestAllowed(ReadOnlySpan<float> logits)
    {
        var count = TopLogits.Select(logits, LikeliestTried, _likeliest, _likeliestLogits);
        for (var i = 0; i < count && !float.IsNegativeInfinity(_likeliestLogits[i]); i++)
        {
            if (Allows(_likeliest[i]))
                return _likeliest[i];
        }
        return null;
    }

    /// <summary>
    /// The allowed token of highest logit (the first of equals, as a full pass gives it), or null when the grammar allows
    /// none. A small vocabulary is filtered in one pass; a large one first has its likeliest tokens tested one by one,
    /// then is filtered without being filtered whole at once: the grammar is asked about bands of tokens in descending
    /// order of logit, and the best allowed token of the first band holding one is the best of all, since every token
    /// after it has a lower logit. llama.cpp's grammar costs per candidate, so this costs a band's share of the full
    /// pass when the answer is near the top, and the full pass (plus a sampled sort) when the grammar allows nothing.
    /// </summary>
    private LLamaToken? BestAllowed(ReadOnlySpan<float> logits)
    {
        // A vocabulary no larger than a band is filtered at once, as llama-server does: one grammar call costs less
        // than the likeliest tokens' single tests (stories260K's 512 tokens, `Takeoff.Bench constrained`: 0.087 against
        // 0.121 ms a token).
        if (logits.Length <= BandTokens)
            return BestAllowedWithin(logits, float.NegativeInfinity, float.PositiveInfinity);
        if (LikeliestAllowed(logits) is { } likeliest)
            return likeliest;
        // The band edges come from an evenly spread sample of the logits, sorted ascending and read from the top:
        // band b holds [edge b, edge b-1).
        var stride = Math.Max(1, logits.Length / _edges.Length);
        var sampled = 0;
        for (var token = 0; token < logits.Length && sampled < _edges.Length; token += stride)
            _edges[sampled++] = logits[token];
        var edges = _edges.AsSpan(0, sampled);
        edges.Sort();
        var step = Math.Max(1, (int)((long)sampled * BandTokens / logits.Length));
        var upper = float.PositiveInfinity;
        for (var edge = step; ; edge += step)
        {
            var lower = edge < sampled ? edges[sampled - 1 - edge] : float.NegativeInfinity;
            if (BestAllowedWithin(logits, lower, upper) is { } best)
                return best;
            if (float.IsNegativeInfinity(lower))
                return null;
            upper = lower;
        }
    }

    /// <summary>
    /// The allowed token of highest logit in [lower, upper) (masked tokens never; an upper of +∞ includes it), the
    /// first of equals.
    /// </summary>
    private LLamaToken? BestAllowedWithin(ReadOnlySpan<float> logits, float lower, float upper)
    {
        var count = 0;
        var top = float.IsPositiveInfinity(upper);
        for (var token = 0; token < logits.Length; token++)
        {
            var logit = logits[token];
            if (logit >= lower && (logit < upper || top) && !float.IsNegativeInfinity(logit))
                _candidates[count++] = new LLamaTokenData(token, logit, 0);
        }
        if (count == 0)
            return null;
        using var pinned = LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(_candidates.AsMemory(0, count)), out var native);
        ApplyGrammar(ref native);
        LLamaToken? best = null;
        var bestLogit = float.NegativeInfinity;
        foreach (var candidate in native.Data)
        {
            if (candidate.Logit > bestLogit)
                (best, bestLogit) = (candidate.ID, candidate.Logit);
        }
        return best;
    }

    private LLamaToken? Select(ReadOnlySpan<float> logits, bool throughGrammar)
    {
        var count = Candidates.All(logits, _candidates);
        using var pinned = LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(_candidates.AsMemory(0, count)), out var native);
        if (throughGrammar)
        {
            ApplyGrammar(ref native);
            if (!AnyPossible(native.Data))
                return null;
        }
        _chain.Apply(ref native);
        var selected = native.Selected;
        return selected < 0 || float.IsNegativeInfinity(native.Data[(int)selected].Logit) ? null : native.Data[(int)selected].ID;
    }

    private bool Allows(LLamaToken token)
    {
        _single[0] = new LLamaTokenData(token, 0, 0);
        using var pinned = LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(_single, isSorted: true), out var native);
        ApplyGrammar(ref native);
        return !float.IsNegativeInfinity(native.Data[0].Logit);
    }

    // The grammar's two calls, each timed into the choice's grammar budget.
    private void ApplyGrammar(ref LLamaTokenDataArrayNative candidates)
    {
        var start = Stopwatch.GetTimestamp();
        _grammar.Apply(ref candidates);
        _grammarTicks += Stopwatch.GetTimestamp() - start;
    }

    private void AcceptIntoGrammar(LLamaToken token)
    {
        var start = Stopwatch.GetTimestamp();
        _grammar.Accept(token);
        _grammarTicks += Stopwatch.GetTimestamp() - start;
    }

    private static bool AnyPossible(Span<LLamaTokenData> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (!float.IsNegativeInfinity(candidate.Logit))
                return true;
        }
        return false;
    }

    public void Dispose()
    {
        _chain.Dispose();
        _grammar.Dispose();
    }
}
