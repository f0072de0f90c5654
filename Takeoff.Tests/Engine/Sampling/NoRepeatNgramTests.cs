using Takeoff.Engine.Sampling;

namespace Takeoff.Tests.Engine.Sampling;

internal sealed class NoRepeatNgramTests
{
    private static int[] Banned(int[] tokens, int n)
    {
        var banned = new SortedSet<int>();
        NoRepeatNgram.CollectBanned(tokens, n, banned);
        return banned.ToArray();
    }

    [Test]
    public void Bigram_BansEveryTokenThatFollowedTheLastToken() =>
        Assert.That(Banned([5, 6, 7, 5, 8, 5], 2), Is.EqualTo(new[] { 6, 8 }));

    [Test]
    public void Trigram_MatchesOnTheLastTwoTokens() =>
        Assert.That(Banned([1, 2, 3, 9, 1, 2], 3), Is.EqualTo(new[] { 3 }));

    [Test]
    public void Unigram_BansEverythingAlreadyGenerated() =>
        Assert.That(Banned([4, 4, 9], 1), Is.EqualTo(new[] { 4, 9 }));

    [Test]
    public void ShorterThanN_BansNothing() => Assert.That(Banned([1, 2], 3), Is.Empty);

    [Test]
    public void Off_BansNothing() => Assert.That(Banned([1, 1, 1], 0), Is.Empty);
}
