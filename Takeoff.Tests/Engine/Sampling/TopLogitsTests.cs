using Takeoff.Engine.Sampling;

namespace Takeoff.Tests.Engine.Sampling;

internal sealed class TopLogitsTests
{
    [TestCase(1, 1)]
    [TestCase(7, 3)]
    [TestCase(40, 40)]
    [TestCase(1_000, 40)]
    [TestCase(1_003, 1)]
    [TestCase(151_936, 40)]
    [TestCase(5, 40)]
    public void Select_RandomLogitsWithTies_SameAsSortingThem(int vocabulary, int k)
    {
        var random = new Random(vocabulary * 31 + k);
        for (var round = 0; round < 5; round++)
        {
            // Coarse values make ties common; some tokens are masked off.
            var logits = Enumerable.Range(0, vocabulary)
                .Select(_ => random.Next(10) == 0 ? float.NegativeInfinity : random.Next(200) / 8f).ToArray();
            var tokens = new int[k];
            var values = new float[k];

            var count = TopLogits.Select(logits, k, tokens, values);

            var expected = logits.Select((logit, token) => (logit, token))
                .OrderByDescending(p => p.logit).ThenBy(p => p.token).Take(k).ToArray();
            Assert.That(count, Is.EqualTo(expected.Length));
            Assert.That(tokens[..count], Is.EqualTo(expected.Select(p => p.token).ToArray()));
            Assert.That(values[..count], Is.EqualTo(expected.Select(p => p.logit).ToArray()));
        }
    }

    [Test]
    public void Select_LargestLogitLast_IsFound()
    {
        var logits = new float[100_003];
        logits[^1] = 5;
        logits[12] = 4;
        var tokens = new int[2];
        var values = new float[2];

        TopLogits.Select(logits, 2, tokens, values);

        Assert.That(tokens, Is.EqualTo(new[] { 100_002, 12 }));
    }
}
