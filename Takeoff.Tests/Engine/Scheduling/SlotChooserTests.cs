using Takeoff.Engine.Scheduling;

namespace Takeoff.Tests.Engine.Scheduling;

internal sealed class SlotChooserTests
{
    private static Slot Busy(int id)
    {
        var slot = new Slot(id, new ScriptedDecoder());
        slot.Take(0);
        return slot;
    }

    private static Slot Slot(int id, long lastUsed, params int[] cached)
    {
        var slot = new Slot(id, new ScriptedDecoder());
        slot.Take(0);
        foreach (var token in cached)
            slot.Append(token, logits: false);
        slot.Release(lastUsed);
        return slot;
    }

    [Test]
    public void LongestSharedPrefix_WinsOverRecency()
    {
        Slot[] idle = [Slot(0, lastUsed: 9, 1, 2), Slot(1, lastUsed: 1, 1, 2, 3, 4, 9), Slot(2, lastUsed: 5)];

        var (slot, reused) = SlotChooser.Choose(idle, [1, 2, 3, 4, 5, 6], similarity: 0.5);

        Assert.That((slot.Id, reused), Is.EqualTo((1, 4)));
    }

    [Test]
    public void SharedPrefixTooSmallAPartOfThePrompt_LeastRecentlyUsedSlot()
    {
        Slot[] idle = [Slot(0, lastUsed: 9, 1, 2), Slot(1, lastUsed: 3, 7, 7), Slot(2, lastUsed: 5, 8)];

        var (slot, reused) = SlotChooser.Choose(idle, [1, 2, 3, 4, 5, 6, 7, 8], similarity: 0.5);

        Assert.That((slot.Id, reused), Is.EqualTo((1, 0)), "2 of 8 tokens is below half: the oldest slot is overwritten");
    }

    [Test]
    public void NothingCached_LeastRecentlyUsedSlot()
    {
        Slot[] idle = [Slot(0, lastUsed: 4), Slot(1, lastUsed: 2), Slot(2, lastUsed: 3)];

        Assert.That(SlotChooser.Choose(idle, [5, 6], similarity: 0.5).Slot.Id, Is.EqualTo(1));
    }

    [Test]
    public void NoUsefulPrefix_ASlotNextToBusyOnes_BeforeTheLeastRecentlyUsed()
    {
        Slot[] slots = [Slot(0, lastUsed: 5), Busy(1), Slot(2, lastUsed: 9), Slot(3, lastUsed: 1)];

        Assert.That(SlotChooser.Choose(slots, [5, 6], similarity: 0.5).Slot.Id, Is.EqualTo(0),
            "slots 0 and 2 keep the busy ones side by side; 0 is the older of the two");
    }

    [Test]
    public void NoUsefulPrefix_AGapBetweenBusySlotsIsFilledFirst()
    {
        Slot[] slots = [Busy(0), Slot(1, lastUsed: 9), Busy(2), Slot(3, lastUsed: 1)];

        Assert.That(SlotChooser.Choose(slots, [5, 6], similarity: 0.5).Slot.Id, Is.EqualTo(1));
    }

    [Test]
    public void EqualPrefixes_TheSlotNextToBusyOnes()
    {
        Slot[] slots = [Slot(0, lastUsed: 1, 1, 2, 3), Slot(1, lastUsed: 2), Slot(2, lastUsed: 3, 1, 2, 3), Busy(3)];

        Assert.That(SlotChooser.Choose(slots, [1, 2, 3, 4], similarity: 0.5), Is.EqualTo((slots[2], 3)));
    }

    [Test]
    public void ALongerPrefix_WinsOverPlace()
    {
        Slot[] slots = [Slot(0, lastUsed: 1, 1, 2, 3), Slot(1, lastUsed: 2), Slot(2, lastUsed: 3, 1, 2), Busy(3)];

        Assert.That(SlotChooser.Choose(slots, [1, 2, 3, 4], similarity: 0.5), Is.EqualTo((slots[0], 3)));
    }

    [Test]
    public void CommonPrefix_StopsAtTheFirstDifference()
    {
        Assert.That(SlotChooser.CommonPrefix([1, 2, 3, 4], [1, 2, 9, 4]), Is.EqualTo(2));
        Assert.That(SlotChooser.CommonPrefix([1, 2], [1, 2, 3]), Is.EqualTo(2));
        Assert.That(SlotChooser.CommonPrefix([], [1]), Is.Zero);
    }
}
