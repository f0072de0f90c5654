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
}
