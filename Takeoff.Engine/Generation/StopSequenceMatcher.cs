namespace Takeoff.Engine.Generation;

/// <summary>
/// Finds stop sequences in text that arrives piece by piece, so across token boundaries. The tail that could
/// still become a stop sequence is held back until the next piece decides it, so the matched text is never
/// released, not even in part.
/// </summary>
internal sealed class StopSequenceMatcher(IReadOnlyList<string> stopSequences)
{
    private string _held = "";

    /// <summary>A stop sequence was found; nothing after it is released.</summary>
    public bool Matched { get; private set; }

    /// <summary>Adds <paramref name="text"/>; returns the text that is now certain to come before any stop sequence.</summary>
    public string Push(string text)
    {
        if (Matched)
            return "";
        if (stopSequences.Count == 0)
            return text;

        var pending = _held + text;
        var match = EarliestMatch(pending);
        if (match >= 0)
        {
            Matched = true;
            _held = "";
            return pending[..match];
        }
        var hold = LongestPossibleStart(pending);
        _held = pending[^hold..];
        return pending[..^hold];
    }

    /// <summary>The generation ended without a match: what was held back is plain text after all.</summary>
    public string Flush()
    {
        var rest = _held;
        _held = "";
        return rest;
    }

    private int EarliestMatch(string text)
    {
        var earliest = -1;
        foreach (var stop in stopSequences)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (earliest < 0 || at < earliest))
                earliest = at;
        }
        return earliest;
    }

    /// <summary>Length of the longest end of <paramref name="text"/> that a stop sequence begins with.</summary>
    private int LongestPossibleStart(string text)
    {
        var longest = 0;
        foreach (var stop in stopSequences)
        {
            for (var length = Math.Min(stop.Length - 1, text.Length); length > longest; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }
}
