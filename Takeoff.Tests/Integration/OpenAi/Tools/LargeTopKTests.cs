using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration.OpenAi.Tools;

/// <summary>
/// A hostile top-k on a real vocabulary (the tool server's "qwen" reader, 151,936 tokens): the sampler's top-k prefilter
/// costs up to k moves per token, so a huge k must take the chain's own top-k instead, never stall the loop.
/// </summary>
internal sealed class LargeTopKTests
{
    private static HttpClient Client => ToolServer.Instance.Client;

    [Test]
    public async Task TopKOfNearlyTheVocabulary_AnsweredQuickly_ThenANormalRequestIsServed()
    {
        var clock = Stopwatch.StartNew();

        var answer = await Client.PostJsonAsync("/v1/completions", new JsonObject
        {
            ["model"] = "qwen", ["prompt"] = "Once upon a time", ["max_tokens"] = 16, ["min_tokens"] = 16,
            ["temperature"] = 0.8, ["top_k"] = 150_000, ["seed"] = 3,
        });

        Assert.That(answer["usage"]!["completion_tokens"]!.GetValue<int>(), Is.EqualTo(16));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "16 tokens under a huge top-k");
        var normal = await Client.PostJsonAsync("/v1/completions", new JsonObject
        {
            ["model"] = "qwen", ["prompt"] = "Once upon a time", ["max_tokens"] = 4, ["temperature"] = 0,
        });
        Assert.That(normal["choices"]![0]!["text"]!.GetValue<string>(), Is.Not.Empty);
    }
}
