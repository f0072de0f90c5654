using Takeoff.Engine.Sampling;

namespace Takeoff.Tests.Engine.Sampling;

internal sealed class GrammarBudgetTests
{
    private static readonly GrammarBudget Budget = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(250));

    [TestCase(0, 1, false)]
    [TestCase(260, 1, false)]
    [TestCase(261, 1, true)]
    [TestCase(660, 40, true)]
    [TestCase(640, 40, false)]
    [TestCase(1_000, 100, false)]
    [TestCase(1_300, 100, true)]
    public void Exceeded_AfterTheBurstPlusTheAveragePerToken(int spentMilliseconds, int tokens, bool exceeded) =>
        Assert.That(Budget.Exceeded(TimeSpan.FromMilliseconds(spentMilliseconds), tokens), Is.EqualTo(exceeded));

    [Test]
    public void ForVocabulary_ScalesAboveTheReferenceSize_Only()
    {
        Assert.That(Budget.ForVocabulary(512), Is.SameAs(Budget));
        Assert.That(Budget.ForVocabulary(32_000), Is.SameAs(Budget));
        var large = Budget.ForVocabulary(160_000);
        Assert.That(large.PerToken, Is.EqualTo(TimeSpan.FromMilliseconds(50)));
        Assert.That(large.Burst, Is.EqualTo(TimeSpan.FromMilliseconds(1_250)));
    }

    [Test]
    public void PerTokenMilliseconds_GivesABurstOfTwentyFiveTokens()
    {
        var budget = GrammarBudget.PerTokenMilliseconds(4);

        Assert.That(budget.PerToken, Is.EqualTo(TimeSpan.FromMilliseconds(4)));
        Assert.That(budget.Burst, Is.EqualTo(TimeSpan.FromMilliseconds(100)));
    }
}
