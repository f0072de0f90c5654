using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration;

/// <summary>POST /generate and /generate_stream as Takeoff's clients call them.</summary>
internal sealed class GenerateEndpointTests
{
    private const string Prompt = "Once upon a time";
    private static HttpClient Client => SharedServer.Instance.Client;

    [Test]
    public async Task Stream_CurlStyle_ChunksArriveWhileGenerating()
    {
        await Client.StreamAsync(new { text = Prompt, max_new_tokens = 2 }); // JIT and connection, not streaming, on the clock otherwise

        var answer = await Client.StreamAsync(new { text = Prompt, max_new_tokens = 1000, min_new_tokens = 1000 });

        Assert.That(answer.Response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/plain; charset=utf-8"));
        Assert.That(answer.Response.Headers.TransferEncodingChunked, Is.True);
        Assert.That(answer.Arrivals, Has.Count.GreaterThan(10), "one write per token should reach the client as many reads");
        // Streamed text arrives over the generation, not in one burst at its end. (The spread, not the first
        // arrival: a busy 2-core machine may delay the start, which says nothing about streaming.)
        var spread = answer.Arrivals[^1] - answer.Arrivals[0];
        Assert.That(spread, Is.GreaterThan(answer.Total * 0.25),
            $"chunks arrived from {answer.Arrivals[0].TotalMilliseconds:F0} to {answer.Arrivals[^1].TotalMilliseconds:F0} ms " +
            $"of {answer.Total.TotalMilliseconds:F0} ms: the text was not streamed");
        Assert.That(answer.Text, Does.StartWith(", there was a little girl named Lily"));
    }

    [Test]
    public async Task Generate_PythonStyle_AnswersUnderMessageAndText()
    {
        var json = await Client.GenerateAsync(new { text = Prompt });

        Assert.That(json["message"]!.GetValue<string>(), Does.StartWith(", there was a little girl named Lily"));
        Assert.That(json["text"]!.GetValue<string>(), Is.EqualTo(json["message"]!.GetValue<string>()));
        Assert.That(json["metadata"], Is.Null, "metadata only when asked for");
    }

    [Test]
    public async Task Generate_ListOfFour_AnswersEachInOrder()
    {
        string[] prompts = ["Once upon a time", "The little dog", "Tom and Sue went", "One day, a bird"];

        var json = await Client.GenerateAsync(new { text = prompts, max_new_tokens = 24 });

        var answers = json["text"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();
        Assert.That(answers, Has.Length.EqualTo(4));
        Assert.That(json["message"]!.AsArray().Select(a => a!.GetValue<string>()), Is.EqualTo(answers));
        for (var i = 0; i < prompts.Length; i++)
        {
            var alone = await Client.GenerateAsync(new { text = prompts[i], max_new_tokens = 24 });
            Assert.That(answers[i], Is.EqualTo(alone["text"]!.GetValue<string>()), $"answer {i} is not prompt {i}'s");
        }
        Assert.That(answers.Distinct().Count(), Is.EqualTo(4));
    }

    [Test]
    public async Task Generate_Greedy_EqualsConcatenatedStream()
    {
        var body = new { text = "The little dog", max_new_tokens = 200 };

        var whole = await Client.GenerateAsync(body);
        var streamed = await Client.StreamAsync(body);

        Assert.That(streamed.Text, Is.EqualTo(whole["text"]!.GetValue<string>()));
        Assert.That(streamed.Text, Has.Length.GreaterThan(100));
    }

    [Test]
    public async Task Generate_MaxNewTokensFive_GeneratesFiveTokens()
    {
        var json = await Client.GenerateAsync(new { text = Prompt, max_new_tokens = 5, return_metadata = true });

        var metadata = json["metadata"]!;
        Assert.That(metadata["generated_tokens"]!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(metadata["finish_reason"]!.GetValue<string>(), Is.EqualTo("length"));
        Assert.That(metadata["prompt_tokens"]!.GetValue<int>(), Is.EqualTo(5), "BOS + 4 prompt tokens");
        Assert.That(metadata["time_to_first_token_ms"]!.GetValue<double>(), Is.GreaterThan(0));
        Assert.That(metadata["tokens_per_second"]!.GetValue<double>(), Is.GreaterThan(0));
    }

    [Test]
    public async Task Generate_OldParameterName_GenerateMaxLength_IsHonoured()
    {
        var json = await Client.GenerateAsync(new { text = Prompt, generate_max_length = 3, return_metadata = true });

        Assert.That(json["metadata"]!["generated_tokens"]!.GetValue<int>(), Is.EqualTo(3));
    }

    [Test]
    public async Task Generate_EveryKeyNullAndUnknownKeys_UsesDefaults()
    {
        var json = await Client.GenerateAsync(new
        {
            text = Prompt, max_new_tokens = (int?)null, min_new_tokens = (int?)null, sampling_temperature = (float?)null,
            sampling_topk = (int?)null, sampling_topp = (float?)null, repetition_penalty = (float?)null,
            no_repeat_ngram_size = (int?)null, prompt_max_tokens = (int?)null, seed = (int?)null,
            consumer_group = (string?)null, return_metadata = true, some_future_key = "ignored",
        });

        Assert.That(json["metadata"]!["generated_tokens"]!.GetValue<int>(), Is.EqualTo(128), "default max_new_tokens");
    }


    [Test]
    public async Task Generate_PromptMaxTokens_KeepsTheEndOfALongPrompt()
    {
        var longPrompt = string.Concat(Enumerable.Repeat("The cat sat on the mat. ", 400)) + "Once upon a time";

        var json = await Client.GenerateAsync(new
        {
            text = longPrompt, prompt_max_tokens = 64, max_new_tokens = 4, return_metadata = true,
        });

        Assert.That(json["metadata"]!["prompt_tokens"]!.GetValue<int>(), Is.EqualTo(64));
    }

    [Test]
    public async Task StopExtension_EndsBeforeTheMatch_WithFinishReasonStop_StreamedToo()
    {
        var json = await Client.GenerateAsync(new { text = Prompt, max_new_tokens = 40, stop = new[] { "never", "Lily" }, return_metadata = true });
        var streamed = await Client.StreamAsync(new { text = Prompt, max_new_tokens = 40, stop = "Lily" });

        Assert.That(json["text"]!.GetValue<string>(), Is.EqualTo(", there was a little girl named "));
        Assert.That(json["metadata"]!["finish_reason"]!.GetValue<string>(), Is.EqualTo("stop"));
        Assert.That(streamed.Text, Is.EqualTo(", there was a little girl named "));
    }

    [Test]
    public async Task Generate_SameSeed_SameSample()
    {
        var body = new { text = Prompt, sampling_topk = 40, sampling_temperature = 1.2, seed = 1234, max_new_tokens = 40 };

        var first = await Client.GenerateAsync(body);
        var second = await Client.GenerateAsync(body);
        var greedy = await Client.GenerateAsync(new { text = Prompt, max_new_tokens = 40 });

        Assert.That(second["text"]!.GetValue<string>(), Is.EqualTo(first["text"]!.GetValue<string>()));
        Assert.That(first["text"]!.GetValue<string>(), Is.Not.EqualTo(greedy["text"]!.GetValue<string>()));
    }

    [Test]
    public async Task Stream_Parallel16_AllSucceedWithTheTextEachGetsAlone()
    {
        string[] prompts = ["Once upon a time", "The little dog", "Tom and Sue went", "One day, a bird"];
        var alone = new Dictionary<string, string>();
        foreach (var prompt in prompts)
            alone[prompt] = (await Client.GenerateAsync(new { text = prompt, max_new_tokens = 64 }))["text"]!.GetValue<string>();

        var streams = Enumerable.Range(0, 16)
            .Select(i => Client.StreamAsync(new { text = prompts[i % 4], max_new_tokens = 64 }))
            .ToArray();
        var answers = await Task.WhenAll(streams);

        for (var i = 0; i < 16; i++)
            Assert.That(answers[i].Text, Is.EqualTo(alone[prompts[i % 4]]), $"stream {i}");
    }
}
