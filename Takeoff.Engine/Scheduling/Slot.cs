namespace Takeoff.Engine.Scheduling;

/// <summary>
/// One sequence id of the shared context, and what its KV cells hold. Like llama-server's slots, it outlives the
/// request it served: its tokens stay cached, so that a later prompt that starts the same way skips that prefill.
/// </summary>
internal sealed class Slot(int id)
{
    /// <summary>Its sequence id in the shared context.</summary>
    public int Id { get; } = id;

    /// <summary>The tokens whose KV cells this slot holds, in position order.</summary>
    public List<int> Cached { get; } = [];

    /// <summary>The sequence using the slot, or null when it is idle (and its cache reusable).</summary>
    public Sequence? Owner { get; set; }

    /// <summary>When it last served: the least recently used idle slot is the one to overwrite.</summary>
    public long LastUsed { get; set; }
}
