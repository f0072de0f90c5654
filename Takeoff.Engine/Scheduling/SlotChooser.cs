namespace Takeoff.Engine.Scheduling;

/// <summary>
/// Which idle slot a new prompt goes to, as llama-server chooses: the one whose cache shares the longest prefix with
/// the prompt, when that prefix is a large enough part of the prompt; otherwise the least recently used one.
/// </summary>
internal static class SlotChooser
{
    /// <param name="similarity">The part of the prompt (0–1) a cached prefix must cover to be worth keeping its slot for.</param>
    /// <returns>The slot, and how many of the prompt's leading tokens its cache already holds.</returns>
    public static (Slot Slot, int Reused) Choose(IReadOnlyList<Slot> idle, ReadOnlySpan<int> prompt, double similarity)
    {
        Slot? best = null;
        var bestLength = 0;
        foreach (var slot in idle)
        {
            var length = CommonPrefix(slot.Cached, prompt);
            if (length > bestLength)
                (best, bestLength) = (slot, length);
        }
        if (best is not null && bestLength >= similarity * prompt.Length)
            return (best, bestLength);
        var oldest = idle.MinBy(slot => slot.LastUsed)!;
        return (oldest, CommonPrefix(oldest.Cached, prompt));
    }

    public static int CommonPrefix(IReadOnlyList<int> cached, ReadOnlySpan<int> prompt)
    {
        var length = Math.Min(cached.Count, prompt.Length);
        var i = 0;
        while (i < length && cached[i] == prompt[i])
            i++;
        return i;
    }
}
