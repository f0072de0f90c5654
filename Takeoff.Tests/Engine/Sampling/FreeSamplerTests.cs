using LLama.Native;
using Microsoft.Extensions.Logging.Abstractions;
using Takeoff.Engine.Native;
using Takeoff.Engine.Sampling;

namespace Takeoff.Tests.Engine.Sampling;

/// <summary>The free sampler's shortcuts draw exactly the token llama.cpp's own chain draws from the whole vocabulary.</summary>
internal sealed class FreeSamplerTests
{
    private const int Vocabulary = 151_936;

    [OneTimeSetUp]
    public void LoadNative() => NativeBackend.EnsureLoaded(NullLogger.Instance);

    [TestCase(0f, 0, 1f)]
    [TestCase(0.8f, 40, 0.95f)]
    [TestCase(1.5f, 5, 1f)]
    [TestCase(0.7f, 1000, 0.9f)]
    [TestCase(1f, 0, 0.9f)]
    [TestCase(0.8f, 40, 0.95f, 1.3f)]
    public void Sample_SameTokensAsTheFullChain(float temperature, int topK, float topP, float repetitionPenalty = 1f)
    {
        var settings = new SamplingSettings
        {
            Temperature = temperature, TopK = topK, TopP = topP, RepetitionPenalty = repetitionPenalty, Seed = 1234,
        };
        var prompt = new LLamaToken[] { 1, 2, 3 };
        using var sampler = new FreeSampler(settings, 64, prompt, new LLamaTokenData[Vocabulary]);
        using var chain = SamplerChains.Build(settings, 64, prompt);
        var candidates = new LLamaTokenData[Vocabulary];
        var random = new Random(42);
        var logits = new float[Vocabulary];
        var drawn = new HashSet<int>();

        for (var step = 0; step < 50; step++)
        {
            for (var i = 0; i < logits.Length; i++)
                logits[i] = (float)(random.NextDouble() * 12 - 6);
            // A few likely tokens, so that sampling has a real choice to make. No two equal: llama.cpp's top-k orders
            // equal logits its own way, which changes which of them a given draw lands on (not how likely each is).
            for (var i = 0; i < 8; i++)
                logits[random.Next(Vocabulary)] = (float)(9 + random.NextDouble() * 3);

            var token = (int)sampler.Sample(logits);

            for (var i = 0; i < logits.Length; i++)
                candidates[i] = new LLamaTokenData(i, logits[i], 0);
            int expected;
            using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(candidates), out var native))
            {
                chain.Apply(ref native);
                expected = (int)native.Data[(int)native.Selected].ID;
            }
            chain.Accept(expected);
            Assert.That(token, Is.EqualTo(expected), $"step {step}");
            drawn.Add(token);
        }
        if (temperature > 0 && topK != 1)
            Assert.That(drawn, Has.Count.GreaterThan(1), "a sampled chain draws more than one token");
    }
}
