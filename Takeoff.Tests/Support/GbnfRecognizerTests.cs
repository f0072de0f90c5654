namespace Takeoff.Tests.Support;

/// <summary>The recognizer is the referee of the converter tests and of model outputs, so it is tested too.</summary>
internal sealed class GbnfRecognizerTests
{
    [Test]
    public void Accepts_WholeStringOnly()
    {
        var recognizer = GbnfRecognizer.For("root ::= \"ab\" | \"abc\"");

        Assert.That(new[] { "ab", "abc", "a", "abcd", "" }.Select(recognizer.Accepts), Is.EqualTo(new[] { true, true, false, false, false }));
    }

    [Test]
    public void IsPrefix_TrueWhileSomeCompletionExists()
    {
        var recognizer = GbnfRecognizer.For("root ::= \"{\" [0-9]+ \"}\"");

        Assert.That(new[] { "", "{", "{12", "{12}", "{x", "{12}}" }.Select(recognizer.IsPrefix), Is.EqualTo(new[] { true, true, true, true, false, false }));
        Assert.That(recognizer.ViablePrefixLength("{12x}"), Is.EqualTo(3));
    }

    [Test]
    public void IsPrefix_IgnoresBranchesThatCanNeverComplete()
    {
        // x recurses without end: "ab" followed by anything from x is a dead end, though the text still matches x so far.
        var recognizer = GbnfRecognizer.For("root ::= \"a\" x | \"ab\"\nx ::= \"b\" x");

        Assert.That(recognizer.Accepts("ab"), Is.True);
        Assert.That(recognizer.IsPrefix("ab"), Is.True);
        Assert.That(recognizer.IsPrefix("abb"), Is.False);
    }

    [Test]
    public void NullableRules_MatchTheEmptyString()
    {
        var recognizer = GbnfRecognizer.For("root ::= a b a\na ::= | \"x\"\nb ::= a a");

        Assert.That(new[] { "", "x", "xx", "xxxx", "xxxxx" }.Select(recognizer.Accepts), Is.EqualTo(new[] { true, true, true, true, false }));
    }

    [Test]
    public void Characters_AreCodePoints()
    {
        var recognizer = GbnfRecognizer.For("root ::= . [^a]");

        Assert.That(recognizer.Accepts("😀é"), Is.True);
        Assert.That(recognizer.Accepts("😀"), Is.False);
        Assert.That(recognizer.Accepts("ba"), Is.False);
    }
}
