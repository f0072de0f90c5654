using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using OpenAI.Chat;
using Takeoff.Engine;

namespace Takeoff.Tests.Integration.OpenAi;

/// <summary>/v1/chat/completions through the official OpenAI .NET SDK, as an application would call it.</summary>
internal sealed class ChatCompletionsTests
{
    private static ChatClient Chat(string model = "chat") => OpenAiServer.Sdk().GetChatClient(model);

    private static ChatCompletionOptions Greedy(int maxTokens) => new() { Temperature = 0, MaxOutputTokenCount = maxTokens };

    [Test]
    public async Task Chat_UsesTheTemplateInTheGguf_SameAnswerAsTakeoffsUseChatTemplate()
    {
        ChatCompletion completion = await Chat().CompleteChatAsync([new UserChatMessage("Hi")], Greedy(24));

        var takeoff = await OpenAiServer.Instance.Client.GenerateAsync(new
        {
            text = "Hi", consumer_group = "chat", use_chat_template = true, max_new_tokens = 24, return_metadata = true,
        });
        Assert.That(completion.Content.Single().Text, Is.EqualTo(takeoff["text"]!.GetValue<string>()).And.Not.Empty);
        Assert.That(completion.Role, Is.EqualTo(ChatMessageRole.Assistant));
        Assert.That(completion.FinishReason, Is.EqualTo(ChatFinishReason.Length));
        Assert.That(completion.Id, Does.StartWith("chatcmpl-"));
        Assert.That(completion.Usage.OutputTokenCount, Is.EqualTo(24));
        Assert.That(completion.Usage.InputTokenCount, Is.EqualTo(takeoff["metadata"]!["prompt_tokens"]!.GetValue<int>()));
        Assert.That(completion.Usage.TotalTokenCount, Is.EqualTo(completion.Usage.InputTokenCount + 24));
    }

    [Test]
    public async Task Chat_ModelsJsonFallbackTemplate_FormatsTheSystemTurnToo()
    {
        var reader = await OpenAiServer.Instance.ReaderIdAsync("primary");
        var formatted = await OpenAiServer.Instance.Client.PostJsonAsync($"/chat_template/{reader}", new
        {
            inputs = new[] { new[] { new { role = "system", content = "Be brief." }, new { role = "user", content = "Hi" } } },
        });
        var tokens = await OpenAiServer.Instance.Client.PostJsonAsync($"/tokenize/{reader}", new { text = formatted["messages"]![0]!.GetValue<string>() });

        ChatCompletion completion = await Chat("primary").CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Hi")], Greedy(4));

        // The template's markers are text to stories260K: the same count as tokenizing the formatted prompt, plus BOS.
        Assert.That(completion.Usage.InputTokenCount, Is.EqualTo(tokens["tokens_count"]!.GetValue<int>() + 1));
    }

    [Test]
    public async Task Stream_ConcatenatedDeltasEqualTheWholeAnswer_ThenFinishReasonAndUsage()
    {
        ChatMessage[] messages = [new UserChatMessage("Tell me a story.")];
        ChatCompletion whole = await Chat().CompleteChatAsync(messages, Greedy(48));

        var text = "";
        var updates = 0;
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in Chat().CompleteChatStreamingAsync(messages, Greedy(48)))
        {
            updates++;
            text += string.Concat(update.ContentUpdate.Select(part => part.Text));
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.That(text, Is.EqualTo(whole.Content.Single().Text));
        Assert.That(updates, Is.GreaterThan(10), "one chunk per token, not one burst");
        Assert.That(finish, Is.EqualTo(ChatFinishReason.Length));
        Assert.That(usage?.OutputTokenCount, Is.EqualTo(48), "the SDK asks for include_usage");
    }

    [Test]
    public async Task ThreeChoicesWithTemperature_ThreeIndexedAnswers_SeededReproducibly()
    {
        // The .NET SDK has no option for n; its protocol method sends the raw body through the same client.
        var body = BinaryContent.Create(BinaryData.FromObjectAsJson(new
        {
            model = "chat", messages = new[] { new { role = "user", content = "Hi" } }, n = 3, temperature = 1.0, seed = 42, max_tokens = 12,
        }));
        var first = JsonNode.Parse((await Chat().CompleteChatAsync(body, new RequestOptions())).GetRawResponse().Content.ToString())!;
        body = BinaryContent.Create(BinaryData.FromObjectAsJson(new
        {
            model = "chat", messages = new[] { new { role = "user", content = "Hi" } }, n = 3, temperature = 1.0, seed = 42, max_tokens = 12,
        }));
        var again = JsonNode.Parse((await Chat().CompleteChatAsync(body, new RequestOptions())).GetRawResponse().Content.ToString())!;

        var choices = first["choices"]!.AsArray();
        Assert.That(choices.Select(c => c!["index"]!.GetValue<int>()), Is.EqualTo(new[] { 0, 1, 2 }));
        var texts = choices.Select(c => c!["message"]!["content"]!.GetValue<string>()).ToArray();
        Assert.That(texts.Distinct().Count(), Is.GreaterThan(1), "each choice draws with its own seed");
        Assert.That(again["choices"]!.AsArray().Select(c => c!["message"]!["content"]!.GetValue<string>()), Is.EqualTo(texts));
        Assert.That(first["usage"]!["completion_tokens"]!.GetValue<int>(), Is.EqualTo(36));
        var single = await Chat().CompleteChatAsync([new UserChatMessage("Hi")], Greedy(1));
        Assert.That(first["usage"]!["prompt_tokens"]!.GetValue<int>(), Is.EqualTo(single.Value.Usage.InputTokenCount),
            "the prompt is counted once, not once per choice");
    }

    [Test]
    public async Task StopSequenceSpanningTwoTokens_AnswerEndsBeforeIt_FinishReasonStop()
    {
        ChatMessage[] messages = [new UserChatMessage("Tell me a story.")];
        var options = Greedy(64);
        options.IncludeLogProbabilities = true;
        ChatCompletion whole = await Chat().CompleteChatAsync(messages, options);
        var tokens = whole.ContentTokenLogProbabilities.Select(t => t.Token).ToArray();
        // The end of one token and the start of the next, from the middle of the answer.
        var at = Enumerable.Range(tokens.Length / 3, tokens.Length / 2).First(i => tokens[i].Length >= 2 && tokens[i + 1].Length >= 1);
        var stop = tokens[at][^2..] + tokens[at + 1][..1];
        var text = whole.Content.Single().Text;

        var stopped = await Chat().CompleteChatAsync(messages, WithStops(Greedy(64), stop));
        var never = await Chat().CompleteChatAsync(messages, WithStops(Greedy(64), "never-in-a-story"));

        Assert.That(stopped.Value.Content.Single().Text, Is.EqualTo(text[..text.IndexOf(stop, StringComparison.Ordinal)]));
        Assert.That(stopped.Value.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(never.Value.Content.Single().Text, Is.EqualTo(text));
        Assert.That(never.Value.FinishReason, Is.EqualTo(ChatFinishReason.Length));
    }

    [Test]
    public async Task StopSequence_WhileStreaming_NoPartOfTheMatchIsEverSent()
    {
        ChatMessage[] messages = [new UserChatMessage("Tell me a story.")];
        var text = (await Chat().CompleteChatAsync(messages, Greedy(64))).Value.Content.Single().Text;
        var stop = text.Substring(text.Length / 2, 4);

        var streamed = "";
        ChatFinishReason? finish = null;
        await foreach (var update in Chat().CompleteChatStreamingAsync(messages, WithStops(Greedy(64), stop)))
        {
            streamed += string.Concat(update.ContentUpdate.Select(part => part.Text));
            finish ??= update.FinishReason;
        }

        Assert.That(streamed, Is.EqualTo(text[..text.IndexOf(stop, StringComparison.Ordinal)]));
        Assert.That(finish, Is.EqualTo(ChatFinishReason.Stop));
    }

    [Test]
    public async Task Logprobs_EachAtMostZero_TopListSorted_GreedyChoiceIsTopOne()
    {
        var options = Greedy(24);
        options.IncludeLogProbabilities = true;
        options.TopLogProbabilityCount = 5;

        ChatCompletion completion = await Chat().CompleteChatAsync([new UserChatMessage("Hi")], options);

        var tokens = completion.ContentTokenLogProbabilities;
        Assert.That(tokens, Has.Count.EqualTo(24));
        Assert.That(string.Concat(tokens.Select(t => t.Token)), Is.EqualTo(completion.Content.Single().Text));
        foreach (var token in tokens)
        {
            Assert.That(token.LogProbability, Is.LessThanOrEqualTo(0f));
            Assert.That(token.TopLogProbabilities, Has.Count.EqualTo(5));
            Assert.That(token.TopLogProbabilities.Select(t => t.LogProbability), Is.Ordered.Descending);
            Assert.That(token.TopLogProbabilities[0].Token, Is.EqualTo(token.Token), "greedy picks the most likely token");
            Assert.That(token.TopLogProbabilities[0].LogProbability, Is.EqualTo(token.LogProbability));
            Assert.That(token.Utf8Bytes?.ToArray(), Is.EqualTo(System.Text.Encoding.UTF8.GetBytes(token.Token)));
        }
    }

    [Test]
    public async Task StreamDroppedMidway_GenerationStopsAndFreesItsSlot()
    {
        const int Asked = 1500;
        using var finished = new FinishedRequests();
        var received = 0;
        await foreach (var update in Chat().CompleteChatStreamingAsync([new UserChatMessage("Hi")], Greedy(Asked)))
        {
            if (update.ContentUpdate.Count > 0 && ++received == 5)
                break; // leaving the loop disposes the response: the connection closes mid-stream
        }

        var generated = await finished.WaitForAsync("cancelled", TimeSpan.FromSeconds(10), model: "chatty");
        Assert.That(generated, Is.LessThan(Asked));
        var reader = OpenAiServer.Instance.Service<InferenceEngine>().Readers().Single(r => r.Entry.Name == "chatty");
        Assert.That(reader.ActiveSequences, Is.Zero);
    }

    [Test]
    public async Task UnknownModel_404ModelNotFound_ListingTheModels()
    {
        var error = Assert.ThrowsAsync<ClientResultException>(() => Chat("nope").CompleteChatAsync([new UserChatMessage("Hi")]))!;

        Assert.That(error.Status, Is.EqualTo(404));
        var body = ErrorOf(error);
        Assert.That(body["code"]!.GetValue<string>(), Is.EqualTo("model_not_found"));
        Assert.That(body["param"]!.GetValue<string>(), Is.EqualTo("model"));
        Assert.That(body["message"]!.GetValue<string>(), Does.Contain("chat").And.Contain("embed").And.Contain("chatty"));
        await Task.CompletedTask;
    }

    [Test]
    public void TemperatureOutOfRange_400NamingTemperature()
    {
        var error = Assert.ThrowsAsync<ClientResultException>(() =>
            Chat().CompleteChatAsync([new UserChatMessage("Hi")], new ChatCompletionOptions { Temperature = 5f }))!;

        Assert.That(error.Status, Is.EqualTo(400));
        Assert.That(ErrorOf(error)["param"]!.GetValue<string>(), Is.EqualTo("temperature"));
        Assert.That(ErrorOf(error)["type"]!.GetValue<string>(), Is.EqualTo("invalid_request_error"));
    }

    [Test]
    public async Task ModelWithoutChatTemplate_GetsChatMl_AsLlamaServerDoes()
    {
        ChatCompletion completion = await Chat("plain").CompleteChatAsync([new UserChatMessage("Hi")], Greedy(4));
        ChatCompletion chatml = await Chat("primary").CompleteChatAsync([new UserChatMessage("Hi")], Greedy(4));

        // "primary" is stories260K with the models.json fallback "chatml" (llama.cpp's): the same prompt, the same answer.
        Assert.That(completion.Content.Single().Text, Is.EqualTo(chatml.Content.Single().Text));
        Assert.That(completion.Usage.InputTokenCount, Is.EqualTo(chatml.Usage.InputTokenCount));
    }

    private static ChatCompletionOptions WithStops(ChatCompletionOptions options, params string[] stops)
    {
        foreach (var stop in stops)
            options.StopSequences.Add(stop);
        return options;
    }

    private static JsonNode ErrorOf(ClientResultException error) =>
        JsonNode.Parse(error.GetRawResponse()!.Content.ToString())!["error"]!;
}
