using System.Text;

namespace Takeoff.Engine.Generation;

/// <summary>Cuts an over-long prompt to its end, as Takeoff's <c>prompt_max_tokens</c> does.</summary>
internal static class PromptTruncation
{
    /// <summary>
    /// Keeps the last <paramref name="maxTokens"/> tokens; a leading BOS stays in front, counted in the limit,
    /// because the model expects every sequence to start with it.
    /// </summary>
    public static T[] KeepEnd<T>(T[] tokens, int? maxTokens, T? bos) where T : struct, IEquatable<T>
    {
        if (maxTokens is not { } max || tokens.Length <= max)
            return tokens;
        var keepsBos = bos is { } b && tokens.Length > 0 && tokens[0].Equals(b) && max > 1;
        if (!keepsBos)
            return tokens[^max..];
        return [tokens[0], .. tokens[^(max - 1)..]];
    }

    /// <summary>The end of <paramref name="text"/> that fits in <paramref name="maxBytes"/> UTF-8 bytes, never splitting a character.</summary>
    public static string TailBytes(string text, long maxBytes)
    {
        // A UTF-16 unit is at most 3 UTF-8 bytes (a surrogate pair, 2 units, is 4): a text this short always fits.
        if (text.Length * 3L <= maxBytes)
            return text;
        var start = text.Length;
        long bytes = 0;
        while (start > 0)
        {
            var width = char.IsLowSurrogate(text[start - 1]) && start > 1 && char.IsHighSurrogate(text[start - 2]) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(start - width, width));
            if (bytes + size > maxBytes)
                break;
            bytes += size;
            start -= width;
        }
        return text[start..];
    }
}
