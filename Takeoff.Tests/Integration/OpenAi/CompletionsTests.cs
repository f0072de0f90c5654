using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration.OpenAi;

/// <summary>/v1/completions over HTTP (the OpenAI .NET SDK has no client for the legacy endpoint).</summary>
internal sealed class CompletionsTests
{
    private static HttpClient Client => OpenAiServer.Instance.Client;

    [Test]
    public async Task ListOfPromptsTimesN_ChoicesIndexedPromptMajor()
    {
        var answer = await Client.PostJsonAsync("/v1/completions", new
        {
            model = "plain", prompt = new[] { "Once upon a time", "The little dog" }, n = 2, temperature = 0, max_tokens = 8,
        });
        var alone = await Client.GenerateAsync(new
        {
            text = new[] { "Once upon a time", "The little dog" }, consumer_group = "plain", max_new_tokens = 8, return_metadata = true,
        });
        var secondAlone = alone["text"]![1]!.GetValue<string>();

        var choices = answer["choices"]!.AsArray();
        Assert.That(answer["object"]!.GetValue<string>(), Is.EqualTo("text_completion"));
        Assert.That(choices.Select(c => c!["index"]!.GetValue<int>()), Is.EqualTo(new[] { 0, 1, 2, 3 }));
        Assert.That(choices[2]!["text"]!.GetValue<string>(), Is.EqualTo(secondAlone), "choice 2 = prompt 1, choice 0");
        Assert.That(choices[3]!["text"]!.GetValue<string>(), Is.EqualTo(secondAlone), "greedy: both choices agree");
        Assert.That(answer["usage"]!["completion_tokens"]!.GetValue<int>(), Is.EqualTo(32));
        Assert.That(answer["usage"]!["prompt_tokens"]!.GetValue<int>(),
            Is.EqualTo(alone["metadata"]!.AsArray().Sum(m => m!["prompt_tokens"]!.GetValue<int>())), "each prompt once, not once per choice");
    }

    [Test]
    public async Task DefaultMaxTokens_IsOpenAis16()
    {
        var answer = await Client.PostJsonAsync("/v1/completions", new { model = "plain", prompt = "Once upon a time" });

        Assert.That(answer["usage"]!["completion_tokens"]!.GetValue<int>(), Is.EqualTo(16));
        Assert.That(answer["choices"]![0]!["finish_reason"]!.GetValue<string>(), Is.EqualTo("length"));
    }

    [Test]
    public async Task Stop_EndsBeforeTheMatch()
    {
        var answer = await Client.PostJsonAsync("/v1/completions", new
        {
            model = "plain", prompt = "Once upon a time", temperature = 0, max_tokens = 40, stop = "Lily",
        });

        Assert.That(answer["choices"]![0]!["text"]!.GetValue<string>(), Is.EqualTo(", there was a little girl named "));
        Assert.That(answer["choices"]![0]!["finish_reason"]!.GetValue<string>(), Is.EqualTo("stop"));
    }

    [Test]
    public async Task Logprobs_ParallelListsWithOffsets()
    {
        var answer = await Client.PostJsonAsync("/v1/completions", new
        {
            model = "plain", prompt = "Once upon a time", temperature = 0, max_tokens = 6, logprobs = 3,
        });

        var choice = answer["choices"]![0]!;
        var logprobs = choice["logprobs"]!;
        var tokens = logprobs["tokens"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray();
        var offsets = logprobs["text_offset"]!.AsArray().Select(t => t!.GetValue<int>()).ToArray();
        Assert.That(string.Concat(tokens), Is.EqualTo(choice["text"]!.GetValue<string>()));
        Assert.That(offsets, Is.EqualTo(tokens.Select((_, i) => tokens.Take(i).Sum(t => t.Length))));
        Assert.That(logprobs["token_logprobs"]!.AsArray().Select(l => l!.GetValue<float>()), Has.All.LessThanOrEqualTo(0f));
        Assert.That(logprobs["top_logprobs"]!.AsArray().Select(t => t!.AsObject().Count), Has.All.EqualTo(3));
    }

    [Test]
    public async Task LogitBias_HundredOnOneToken_EveryTokenIsThatToken()
    {
        async Task<string[]> TokensAsync(object? bias)
        {
            var answer = await Client.PostJsonAsync("/v1/completions", new
            {
                model = "plain", prompt = "Once upon a time", temperature = 0, max_tokens = 6, logprobs = 0, logit_bias = bias,
            });
            return answer["choices"]![0]!["logprobs"]!["tokens"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray();
        }

        var free = await TokensAsync(null);
        var biased = await TokensAsync(new Dictionary<string, int> { ["300"] = 100 });

        Assert.That(free.Distinct().Count(), Is.GreaterThan(1), "greedy text of a story repeats no token six times");
        Assert.That(biased, Has.Length.EqualTo(6));
        Assert.That(biased.Distinct().Count(), Is.EqualTo(1), string.Join("|", biased));
        Assert.That(biased[0], Is.Not.EqualTo(free[0]));
    }

    [Test]
    public async Task Stream_TextCompletionChunks_ThenDone()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = JsonContent.Create(new
            {
                model = "plain", prompt = "Once upon a time", temperature = 0, max_tokens = 20, stream = true,
                stream_options = new { include_usage = true },
            }),
        };
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = new List<string>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
            events.Add(item.Data);
        var whole = await Client.PostJsonAsync("/v1/completions", new { model = "plain", prompt = "Once upon a time", temperature = 0, max_tokens = 20 });

        Assert.That(events[^1], Is.EqualTo("[DONE]"));
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToArray();
        var text = string.Concat(chunks.SelectMany(c => c["choices"]!.AsArray()).Select(c => c!["text"]!.GetValue<string>()));
        Assert.That(text, Is.EqualTo(whole["choices"]![0]!["text"]!.GetValue<string>()));
        Assert.That(chunks[^1]["choices"]!.AsArray(), Is.Empty);
        Assert.That(chunks[^1]["usage"]!["completion_tokens"]!.GetValue<int>(), Is.EqualTo(20));
        Assert.That(chunks[^2]["choices"]![0]!["finish_reason"]!.GetValue<string>(), Is.EqualTo("length"));
    }
}
