using Takeoff.Engine.Generation;

namespace Takeoff.Tests.Engine.Generation;

internal sealed class PromptTruncationTests
{
    [Test]
    public void LongPrompt_KeepsBosAndTheEnd() =>
        Assert.That(PromptTruncation.KeepEnd([1, 10, 11, 12, 13], 3, (int?)1), Is.EqualTo(new[] { 1, 12, 13 }));

    [Test]
    public void WithoutBos_KeepsTheEnd() =>
        Assert.That(PromptTruncation.KeepEnd([10, 11, 12, 13], 2, (int?)1), Is.EqualTo(new[] { 12, 13 }));

    [Test]
    public void ShortPrompt_Unchanged() =>
        Assert.That(PromptTruncation.KeepEnd([1, 10], 5, (int?)1), Is.EqualTo(new[] { 1, 10 }));

    [Test]
    public void NoLimit_Unchanged() =>
        Assert.That(PromptTruncation.KeepEnd([1, 10, 11], null, (int?)1), Is.EqualTo(new[] { 1, 10, 11 }));

    [TestCase("hello world", 5, "world")]
    [TestCase("héllo", 4, "llo")]          // "é" is 2 bytes: 4 bytes hold "llo" and not "éllo"
    [TestCase("aé", 2, "é")]
    [TestCase("a😀b", 5, "😀b")]            // the emoji (4 bytes, two UTF-16 units) is kept or dropped whole
    [TestCase("a😀b", 4, "b")]
    [TestCase("short", 100, "short")]
    public void TailBytes_KeepsWholeCharactersOfTheEnd(string text, int maxBytes, string expected) =>
        Assert.That(PromptTruncation.TailBytes(text, maxBytes), Is.EqualTo(expected));
}
