namespace Takeoff.Engine.Sampling;

/// <summary>The n-gram blocking of Hugging Face's <c>no_repeat_ngram_size</c>, over generated tokens.</summary>
internal static class NoRepeatNgram
{
    /// <summary>
    /// Adds to <paramref name="banned"/> every token that would complete an n-gram already present in
    /// <paramref name="tokens"/>: those following an earlier occurrence of the last n-1 tokens.
    /// </summary>
    public static void CollectBanned(ReadOnlySpan<int> tokens, int n, ICollection<int> banned)
    {
        if (n <= 0 || tokens.Length < n)
            return;
        if (n == 1)
        {
            foreach (var token in tokens)
                banned.Add(token);
            return;
        }

        var prefix = tokens[^(n - 1)..];
        for (var start = 0; start + n <= tokens.Length; start++)
        {
            if (tokens.Slice(start, n - 1).SequenceEqual(prefix))
                banned.Add(tokens[start + n - 1]);
        }
    }
}
