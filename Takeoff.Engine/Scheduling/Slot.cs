namespace Takeoff.Engine.Scheduling;

/// <summary>
/// One sequence id of the shared context, and what its KV cells hold. Like llama-server's slots, it outlives the
/// request it served: its tokens stay cached, so that a later prompt that starts the same way skips that prefill.
/// The one place that adds to or removes from its cells, so that what it lists is what the context holds.
/// </summary>
internal sealed class Slot(int id, IDecoder cells)
{
    private readonly List<int> _cached = [];

    /// <summary>Its sequence id in the shared context.</summary>
    public int Id { get; } = id;

    /// <summary>The tokens whose KV cells this slot holds, in position order.</summary>
    public IReadOnlyList<int> Cached => _cached;

    /// <summary>A sequence holds it; when idle, its cache is reusable.</summary>
    public bool Busy { get; private set; }

    /// <summary>When it last served: the least recently used idle slot is the one to overwrite.</summary>
    public long LastUsed { get; private set; }

    /// <summary>Taken by a sequence that keeps the first <paramref name="kept"/> cached cells; the rest are freed.</summary>
    public void Take(int kept)
    {
        cells.RemoveCells(Id, kept);
        _cached.RemoveRange(kept, _cached.Count - kept);
        Busy = true;
    }

    /// <summary>Adds <paramref name="token"/> to the batch at this slot's next cell.</summary>
    /// <returns>The row of logits the decode leaves for it.</returns>
    public int Append(int token, bool logits)
    {
        var row = cells.Add(token, _cached.Count, Id, logits);
        _cached.Add(token);
        return row;
    }

    /// <summary>Given back at <paramref name="now"/>, with its cells cached for the next prompt that starts the same way.</summary>
    public void Release(long now)
    {
        Busy = false;
        LastUsed = now;
    }

    /// <summary>The context was made afresh (after a failed decode): nothing is cached any more.</summary>
    public void Forget() => _cached.Clear();
}
