using Takeoff.Engine.Scheduling;

namespace Takeoff.Tests.Engine.Scheduling;

internal sealed class TokenLogprobsTests
{
    [Test]
    public void LogSumExp_IsTheLogOfTheSoftmaxDenominator()
    {
        float[] logits = [1f, 2f, 3f];

        var expected = (float)Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));

        Assert.That(TokenLogprobs.LogSumExp(logits), Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void LogSumExp_ForbiddenTokensWeighNothing_AndLargeLogitsDoNotOverflow()
    {
        float[] logits = [1000f, float.NegativeInfinity, 1000f];

        Assert.That(TokenLogprobs.LogSumExp(logits), Is.EqualTo(1000f + (float)Math.Log(2)).Within(1e-3));
    }

    [Test]
    public void TopIndices_LargestFirst_TiesByLowerIndex()
    {
        float[] values = [0.1f, 5f, 3f, 5f, -1f, 4f, float.NegativeInfinity];

        Assert.That(TokenLogprobs.TopIndices(values, 4), Is.EqualTo(new[] { 1, 3, 5, 2 }));
        Assert.That(TokenLogprobs.TopIndices(values, 0), Is.Empty);
        Assert.That(TokenLogprobs.TopIndices(values, 7), Is.EqualTo(new[] { 1, 3, 5, 2, 0, 4, 6 }));
    }
}
