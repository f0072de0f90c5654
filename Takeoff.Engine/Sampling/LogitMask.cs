namespace Takeoff.Engine.Sampling;

/// <summary>
/// The hard constraints of one request, applied to the logits before its sampler runs:
/// end-of-generation is impossible before the minimum number of tokens, and n-grams may not repeat.
/// </summary>
internal sealed class LogitMask(int minNewTokens, int noRepeatNgramSize, IReadOnlyList<int> endOfGenerationTokens)
{
    private readonly HashSet<int> _banned = [];

    public void Apply(Span<float> logits, ReadOnlySpan<int> generated)
    {
        if (generated.Length < minNewTokens)
        {
            foreach (var token in endOfGenerationTokens)
                logits[token] = float.NegativeInfinity;
        }

        if (noRepeatNgramSize <= 0)
            return;
        _banned.Clear();
        NoRepeatNgram.CollectBanned(generated, noRepeatNgramSize, _banned);
        foreach (var token in _banned)
            logits[token] = float.NegativeInfinity;
    }
}
