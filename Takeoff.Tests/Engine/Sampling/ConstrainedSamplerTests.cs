using System.Text.Json;
using LLama;
using LLama.Common;
using LLama.Native;
using Microsoft.Extensions.Logging.Abstractions;
using Takeoff.Engine.Native;
using Takeoff.Engine.Sampling;
using Takeoff.Engine.Sampling.Constraints;
using Takeoff.Tests.Integration;

namespace Takeoff.Tests.Engine.Sampling;

/// <summary>
/// A greedy constrained choice's shortcuts give the token a full grammar pass over the whole vocabulary gives: on Qwen
/// 2's 151,936-token vocabulary its likeliest tokens one by one, then bands of the vocabulary; on stories260K's 512
/// tokens the single pass it makes there.
/// </summary>
internal sealed class ConstrainedSamplerTests
{
    private const string Schema = """
        { "type": "object", "additionalProperties": false, "required": ["name", "age", "tags"],
          "properties": { "name": { "type": "string", "maxLength": 24 }, "age": { "type": "integer", "minimum": 0 },
            "tags": { "type": "array", "items": { "type": "string", "maxLength": 10 }, "maxItems": 3 } } }
        """;

    [TestCase("bench-qwen2-vocab-q8_0.gguf", 0f)]
    [TestCase("bench-qwen2-vocab-q8_0.gguf", 0.5f)]
    [TestCase("bench-qwen2-vocab-q8_0.gguf", 1f)]
    [TestCase("stories260K.gguf", 0f)]
    [TestCase("stories260K.gguf", 0.5f)]
    public void Greedy_SameTokensAsAFullPass(string model, float likelyAllowed)
    {
        NativeBackend.EnsureLoaded(NullLogger.Instance);
        var path = Path.Combine(TestModels.Directory, model);
        using var weights = LLamaWeights.LoadFromFile(new ModelParams(path) { VocabOnly = true, GpuLayerCount = 0 });
        var vocabulary = weights.Vocab;
        var gbnf = JsonSchemaGrammar.ToGbnf(JsonDocument.Parse(Schema).RootElement);
        var settings = new SamplingSettings { Temperature = 0 };
        using var sampler = new ConstrainedSampler(settings, 64, [], GrammarSamplers.Create(vocabulary, gbnf), new LLamaTokenData[vocabulary.Count]);
        using var reference = GrammarSamplers.Create(vocabulary, gbnf);
        var candidates = new LLamaTokenData[vocabulary.Count];
        var logits = new float[vocabulary.Count];
        var random = new Random(7);
        var tokens = new List<int>();

        for (var step = 0; step < 60; step++)
        {
            for (var i = 0; i < logits.Length; i++)
                logits[i] = (float)(random.NextDouble() * 10);
            for (var i = 0; i < candidates.Length; i++)
                candidates[i] = new LLamaTokenData(i, logits[i], 0);
            int? expected = null;
            using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(candidates), out var native))
            {
                reference.Apply(ref native);
                var best = float.NegativeInfinity;
                foreach (var candidate in native.Data)
                {
                    if (candidate.Logit > best)
                        (expected, best) = ((int)candidate.ID, candidate.Logit);
                }
            }
            // Sometimes the likeliest token is allowed, so that every path is taken.
            if (expected is { } allowed && random.NextDouble() < likelyAllowed)
                logits[allowed] = 20;

            var token = sampler.Sample(logits, logits, vocabulary);

            Assert.That(token is { } t ? (int?)(int)t : null, Is.EqualTo(expected), $"step {step}, after {string.Join(" ", tokens)}");
            if (expected is not { } accepted || ((LLamaToken)accepted).IsEndOfGeneration(vocabulary))
                break;
            reference.Accept(accepted);
            tokens.Add(accepted);
        }
        Assert.That(tokens, Has.Count.GreaterThan(5), "the grammar is followed for a while");
    }
}
