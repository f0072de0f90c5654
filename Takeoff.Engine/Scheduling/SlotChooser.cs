namespace Takeoff.Engine.Scheduling;

/// <summary>
/// Which idle slot a new prompt goes to. As llama-server chooses: the one whose cache shares the longest prefix with
/// the prompt, when that prefix is a large enough part of the prompt. Otherwise (and between equal prefixes) one next
/// to busy slots, the least recently used of those: llama.cpp decodes each run of consecutive sequence ids in its own
/// pass through the model, so busy slots side by side keep a step to one pass (see <see cref="Scheduler"/>'s
/// QueueWork), and a gap between them is filled first.
/// </summary>
internal static class SlotChooser
{
    /// <param name="slots">Every slot, in sequence id order, busy ones too (they decide which idle ones are next to them); one at least is idle.</param>
    /// <param name="similarity">The part of the prompt (0–1) a cached prefix must cover to be worth keeping its slot for.</param>
    /// <returns>The slot, and how many of the prompt's leading tokens its cache already holds.</returns>
    public static (Slot Slot, int Reused) Choose(IReadOnlyList<Slot> slots, ReadOnlySpan<int> prompt, double similarity)
    {
        Slot? best = null;
        var (bestLength, bestNeighbours) = (0, 0);
        Slot? placed = null;
        var placedNeighbours = -1;
        for (var i = 0; i < slots.Count; i++)
        {
            var slot = slots[i];
            if (slot.Busy)
                continue;
            var neighbours = (i > 0 && slots[i - 1].Busy ? 1 : 0) + (i < slots.Count - 1 && slots[i + 1].Busy ? 1 : 0);
            var length = CommonPrefix(slot.Cached, prompt);
            if (length > bestLength || (length == bestLength && length > 0 && neighbours > bestNeighbours))
                (best, bestLength, bestNeighbours) = (slot, length, neighbours);
            if (neighbours > placedNeighbours || (neighbours == placedNeighbours && slot.LastUsed < placed!.LastUsed))
                (placed, placedNeighbours) = (slot, neighbours);
        }
        if (best is not null && bestLength >= similarity * prompt.Length)
            return (best, bestLength);
        return (placed!, CommonPrefix(placed!.Cached, prompt));
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
