using Takeoff.Engine.Generation;

namespace Takeoff.Tests.Engine.Generation;

internal sealed class StopSequenceMatcherTests
{
    /// <summary>Feeds <paramref name="pieces"/> one by one; returns what was released after each, and the flush.</summary>
    private static (string[] Released, string Flushed, bool Matched) Run(string[] stops, params string[] pieces)
    {
        var matcher = new StopSequenceMatcher(stops);
        var released = pieces.Select(matcher.Push).ToArray();
        return (released, matcher.Flush(), matcher.Matched);
    }

    [Test]
    public void NoStopSequences_ReleasesEverythingAtOnce()
    {
        var (released, flushed, matched) = Run([], "Once", " upon", " a");

        Assert.That(released, Is.EqualTo(new[] { "Once", " upon", " a" }));
        Assert.That(flushed, Is.Empty);
        Assert.That(matched, Is.False);
    }

    [Test]
    public void MatchInsideOnePiece_TextBeforeItOnly()
    {
        var (released, _, matched) = Run(["END"], "the END of it", " more");

        Assert.That(released, Is.EqualTo(new[] { "the ", "" }));
        Assert.That(matched, Is.True);
    }

    [Test]
    public void MatchAcrossThreePieces_NothingOfItIsEverReleased()
    {
        var (released, _, matched) = Run(["<|end|>"], "Hi <|", "en", "d|> after");

        Assert.That(string.Concat(released), Is.EqualTo("Hi "));
        Assert.That(released[0], Is.EqualTo("Hi "), "the possible start is held, the rest goes at once");
        Assert.That(matched, Is.True);
    }

    [Test]
    public void PossibleStartThatDoesNotContinue_IsReleasedWhenDecided()
    {
        var (released, _, matched) = Run(["\n\n"], "a\n", "b");

        Assert.That(released, Is.EqualTo(new[] { "a", "\nb" }));
        Assert.That(matched, Is.False);
    }

    [Test]
    public void HeldAtTheEnd_ComesOutOnFlush()
    {
        var (released, flushed, matched) = Run(["STOP"], "a ST", "O");

        Assert.That(released, Is.EqualTo(new[] { "a ", "" }));
        Assert.That(flushed, Is.EqualTo("STO"));
        Assert.That(matched, Is.False);
    }

    [Test]
    public void Overlapping_TheEarliestMatchWins()
    {
        var (released, _, _) = Run(["bcd", "cx"], "abc", "x");

        Assert.That(string.Concat(released), Is.EqualTo("ab"));
    }

    [Test]
    public void PrefixOfOneSequenceIsAnother_TheLongerPossibleStartIsHeld()
    {
        // "ab" could start "abc"; the held text is the longest possible start, not the shortest.
        var (released, flushed, matched) = Run(["abc", "bx"], "zab", "q");

        Assert.That(released, Is.EqualTo(new[] { "z", "abq" }));
        Assert.That(flushed, Is.Empty);
        Assert.That(matched, Is.False);
    }

    [Test]
    public void RepeatedCharacters_MatchFoundAfterAFalseStart()
    {
        var (released, _, matched) = Run(["aab"], "a", "a", "a", "b");

        Assert.That(string.Concat(released), Is.EqualTo("a"));
        Assert.That(matched, Is.True);
    }

    [Test]
    public void NeverMatching_AllTextReleasedInOrder()
    {
        var (released, flushed, matched) = Run(["zzz"], "one ", "two z", "z three", " z");

        Assert.That(string.Concat(released) + flushed, Is.EqualTo("one two zz three z"));
        Assert.That(matched, Is.False);
    }
}
