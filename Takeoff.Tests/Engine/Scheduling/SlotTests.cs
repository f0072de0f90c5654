using Takeoff.Engine.Scheduling;

namespace Takeoff.Tests.Engine.Scheduling;

/// <summary>A slot's list of cached tokens is what the context's cells hold for its sequence id.</summary>
internal sealed class SlotTests
{
    // Mutation: without `cells.RemoveCells(Id, kept)` in Slot.Take the context still holds 4 cells and refuses the
    // token at position 2.
    [Test]
    public void Take_KeepsThePrefix_FreesTheRestOfTheCells_AndAppendsAfterIt()
    {
        var cells = new ScriptedDecoder();
        var slot = new Slot(3, cells);
        slot.Take(0);
        foreach (var token in new[] { 1, 2, 3, 4 })
            slot.Append(token, logits: false);
        slot.Release(now: 7);

        slot.Take(2);
        var row = slot.Append(9, logits: true);

        Assert.That(slot.Cached, Is.EqualTo(new[] { 1, 2, 9 }));
        Assert.That(row, Is.EqualTo(4), "the batch's fifth token: four were added before, none cleared");
        Assert.That(slot.Busy, Is.True);
        Assert.That(slot.LastUsed, Is.EqualTo(7));
    }

    // Mutation: without `_cached.Clear()` in Slot.Forget the cache still lists the lost tokens.
    [Test]
    public void Forget_EmptiesTheCache_AfterTheContextWasMadeAfresh()
    {
        var cells = new ScriptedDecoder();
        var slot = new Slot(0, cells);
        slot.Take(0);
        slot.Append(5, logits: false);
        slot.Release(now: 1);
        cells.Reset();

        slot.Forget();

        Assert.That(slot.Cached, Is.Empty);
        Assert.That(SlotChooser.Choose([slot], [5, 6], similarity: 0.5).Reused, Is.Zero);
    }
}
