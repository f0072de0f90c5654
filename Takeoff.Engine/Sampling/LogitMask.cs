namespace Takeoff.Engine.Sampling;

/// <summary>
/// What one request changes in the logits before its sampler runs: its logit biases, and the hard constraints
/// (end-of-generation is impossible before the minimum number of tokens, and n-grams may not repeat).
/// </summary>
internal sealed class LogitMask(int minNewTokens, int noRepeatNgramSize, IReadOnlyList<int> endOfGenerationTokens,
    IReadOnlyDictionary<int, float>? biases = null)
{
    private readonly HashSet<int> _banned = [];

    public void Apply(Span<float> logits, ReadOnlySpan<int> generated)
    {
        if (biases is not null)
        {
            foreach (var (token, bias) in biases)
                logits[token] += bias;
        }

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
