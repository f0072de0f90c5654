using Takeoff.Engine.Generation;
using Takeoff.Engine.Text;

namespace Takeoff.Engine.Scheduling;

/// <summary>
/// Log-probabilities of a step's tokens: the log-softmax of the logits as the request's hard constraints left them
/// (a token those forbid has probability 0), before temperature and filters, as OpenAI and llama-server report them.
/// </summary>
internal static class TokenLogprobs
{
    /// <summary>What a token the constraints forbid reports instead of minus infinity, which JSON cannot carry (as OpenAI does).</summary>
    public const float Impossible = -9999f;

    /// <summary>The chosen token and the <paramref name="alternatives"/> most likely ones, most likely first.</summary>
    public static GeneratedToken Describe(int chosen, ReadOnlySpan<float> logits, int alternatives, ModelText text)
    {
        var normalizer = LogSumExp(logits);
        var top = TopIndices(logits, Math.Min(alternatives, logits.Length));
        var described = new TokenProbability[top.Length];
        for (var i = 0; i < top.Length; i++)
            described[i] = Probability(top[i], logits, normalizer, text);
        return new GeneratedToken(chosen, Probability(chosen, logits, normalizer, text), described);
    }

    private static TokenProbability Probability(int token, ReadOnlySpan<float> logits, float normalizer, ModelText text)
    {
        var described = text.Describe(token);
        return new TokenProbability(token, described.Piece, described.Bytes, Math.Max(logits[token] - normalizer, Impossible));
    }

    internal static float LogSumExp(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var logit in logits)
            max = Math.Max(max, logit);
        if (float.IsNegativeInfinity(max))
            return max;
        double sum = 0;
        foreach (var logit in logits)
            sum += Math.Exp(logit - max);
        return max + (float)Math.Log(sum);
    }

    /// <summary>Indices of the <paramref name="count"/> largest values, largest first (ties: lower index first).</summary>
    internal static int[] TopIndices(ReadOnlySpan<float> values, int count)
    {
        var top = new int[count];
        var filled = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (filled == count && (count == 0 || values[i] <= values[top[count - 1]]))
                continue;
            // Insertion into a short sorted list: count is at most 20, the vocabulary tens of thousands.
            var at = Math.Min(filled, count - 1);
            while (at > 0 && values[top[at - 1]] < values[i])
            {
                top[at] = top[at - 1];
                at--;
            }
            top[at] = i;
            filled = Math.Min(filled + 1, count);
        }
        return top;
    }
}
