using Takeoff.Engine.Sampling;

namespace Takeoff.Tests.Engine.Sampling;

internal sealed class LogitMaskTests
{
    [Test]
    public void BeforeMinTokens_EndOfGenerationIsImpossible()
    {
        var logits = new float[8];
        new LogitMask(minNewTokens: 3, noRepeatNgramSize: 0, endOfGenerationTokens: [2, 7]).Apply(logits, [1, 1]);

        Assert.That(logits[2], Is.EqualTo(float.NegativeInfinity));
        Assert.That(logits[7], Is.EqualTo(float.NegativeInfinity));
        Assert.That(logits.Count(float.IsNegativeInfinity), Is.EqualTo(2));
    }

    [Test]
    public void AtMinTokens_EndOfGenerationIsAllowedAgain()
    {
        var logits = new float[8];
        new LogitMask(minNewTokens: 2, noRepeatNgramSize: 0, endOfGenerationTokens: [2]).Apply(logits, [1, 1]);

        Assert.That(logits, Has.None.EqualTo(float.NegativeInfinity));
    }

    [Test]
    public void NgramBlocking_MasksTheRepeatingToken()
    {
        var logits = new float[8];
        new LogitMask(0, 2, []).Apply(logits, [3, 4, 3]);

        Assert.That(logits[4], Is.EqualTo(float.NegativeInfinity));
        Assert.That(logits.Count(float.IsNegativeInfinity), Is.EqualTo(1));
    }
}
