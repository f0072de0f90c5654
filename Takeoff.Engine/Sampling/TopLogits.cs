using System.Numerics;

namespace Takeoff.Engine.Sampling;

/// <summary>
/// The k largest logits of a vocabulary, largest first (equal logits: lower token first), in one pass. Blocks of logits
/// are compared with the current k-th largest as vectors, so a 152k vocabulary costs tens of microseconds where
/// sorting candidates costs a millisecond; only a block holding a larger logit is looked at one by one.
/// </summary>
internal static class TopLogits
{
    /// <param name="tokens">At least k long: receives the tokens, largest logit first.</param>
    /// <param name="values">At least k long: receives their logits.</param>
    /// <returns>How many were found: k, or the vocabulary's size if that is smaller.</returns>
    public static int Select(ReadOnlySpan<float> logits, int k, Span<int> tokens, Span<float> values)
    {
        var count = 0;
        var width = Vector<float>.Count;
        var at = 0;
        for (; at <= logits.Length - width; at += width)
        {
            if (count == k && !Vector.GreaterThanAny(new Vector<float>(logits.Slice(at, width)), new Vector<float>(values[k - 1])))
                continue;
            for (var token = at; token < at + width; token++)
                count = Insert(token, logits[token], k, count, tokens, values);
        }
        for (; at < logits.Length; at++)
            count = Insert(at, logits[at], k, count, tokens, values);
        return count;
    }

    private static int Insert(int token, float logit, int k, int count, Span<int> tokens, Span<float> values)
    {
        if (count == k && !(logit > values[k - 1]))
            return count;
        var position = Math.Min(count, k - 1);
        while (position > 0 && values[position - 1] < logit)
        {
            tokens[position] = tokens[position - 1];
            values[position] = values[position - 1];
            position--;
        }
        tokens[position] = token;
        values[position] = logit;
        return Math.Min(count + 1, k);
    }
}
