namespace Takeoff.Tests.Integration.Readers;

/// <summary>/tokenize, /detokenize and /chat_template of a reader, and use_chat_template on /generate.</summary>
internal sealed class TokenizerTests
{
    private const string Text = "Once upon a time, Lily saw a big red ball.\nShe smiled.";

    private static HttpClient Client => ReaderServer.Instance.Client;

    [Test]
    public async Task TokenizeThenDetokenize_RoundTrips_AsPiecesAndAsIds()
    {
        var reader = await ReaderServer.ReaderIdAsync("alpha");

        var tokenized = await Client.PostJsonAsync($"/tokenize/{reader}", new { text = Text });
        var pieces = tokenized["tokens"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray();
        var ids = tokenized["token_ids"]!.AsArray().Select(t => t!.GetValue<int>()).ToArray();

        Assert.That(tokenized["tokens_count"]!.GetValue<int>(), Is.EqualTo(pieces.Length).And.EqualTo(ids.Length).And.GreaterThan(5));
        Assert.That(string.Concat(pieces).Trim(), Is.EqualTo(Text));
        var fromPieces = await Client.PostJsonAsync($"/detokenize/{reader}", new { tokens = pieces });
        var fromIds = await Client.PostJsonAsync($"/detokenize/{reader}", new { tokens = ids });
        Assert.That(fromPieces["text"]!.GetValue<string>(), Is.EqualTo(Text));
        Assert.That(fromIds["text"]!.GetValue<string>(), Is.EqualTo(Text));
    }

    [Test]
    public async Task Detokenize_SkipsBeginAndEndOfSequenceUnlessAsked()
    {
        var reader = await ReaderServer.ReaderIdAsync("alpha");
        var ids = (await Client.PostJsonAsync($"/tokenize/{reader}", new { text = "Once upon" }))["token_ids"]!
            .AsArray().Select(t => t!.GetValue<int>());
        int[] framed = [1, .. ids, 2]; // stories260K: BOS 1, EOS 2

        var skipped = await Client.PostJsonAsync($"/detokenize/{reader}", new { tokens = framed });
        var kept = await Client.PostJsonAsync($"/detokenize/{reader}", new { tokens = framed, skip_special_tokens = false });

        Assert.That(skipped["text"]!.GetValue<string>(), Is.EqualTo("Once upon"));
        Assert.That(kept["text"]!.GetValue<string>(), Does.Contain("Once upon").And.Not.EqualTo("Once upon"));
    }

    [TestCase("""{ "tokens": [" Once", "no such piece"] }""")]
    [TestCase("""{ "tokens": [5, 100000] }""")]
    [TestCase("""{ "tokens": [5, -7] }""")]
    [TestCase("""{ "tokens": [5, "mixed"] }""")]
    [TestCase("""{ "tokens": "Once" }""")]
    public async Task Detokenize_BadTokens_400NamingTokens(string body)
    {
        var reader = await ReaderServer.ReaderIdAsync("alpha");
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await Client.PostAsync($"/detokenize/{reader}", content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(400), text);
        Assert.That(text, Does.Contain("tokens"));
    }

    [Test]
    public async Task ChatTemplate_FormatsEachConversationWithTheReadersTemplate()
    {
        var reader = await ReaderServer.ReaderIdAsync("chat");
        var conversation = new[] { new { role = "system", content = "Be brief." }, new { role = "user", content = "Hi" } };

        var open = await Client.PostJsonAsync($"/chat_template/{reader}", new { inputs = new[] { conversation, conversation[1..] } });
        var closed = await Client.PostJsonAsync($"/chat_template/{reader}",
            new { inputs = new[] { conversation }, add_generation_prompt = false });

        var messages = open["messages"]!.AsArray().Select(m => m!.GetValue<string>()).ToArray();
        Assert.That(messages, Is.EqualTo(new[]
        {
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
            "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
        }));
        Assert.That(closed["messages"]![0]!.GetValue<string>(), Does.Not.Contain("assistant"));
    }

    [Test]
    public async Task ChatTemplate_ModelWithoutTemplate_ChatMlByDefault()
    {
        var reader = await ReaderServer.ReaderIdAsync("alpha");

        var formatted = await Client.PostJsonAsync($"/chat_template/{reader}",
            new { inputs = new[] { new[] { new { role = "user", content = "Hi" } } } });

        Assert.That(formatted["messages"]![0]!.GetValue<string>(), Is.EqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"));
        var groups = await ReaderServer.Instance.Management.GetJsonAsync("/reader_groups");
        Assert.That(groups["alpha"]![0]!["chat_template"]!.GetValue<string>(), Is.EqualTo("chatml (default)"));
    }

    [Test]
    public async Task UseChatTemplate_WrapsThePromptAsAUserTurn()
    {
        var plain = await Client.GenerateAsync(new { text = "Hi", consumer_group = "chat", max_new_tokens = 2, return_metadata = true });
        var templated = await Client.GenerateAsync(new
        {
            text = "Hi", consumer_group = "chat", max_new_tokens = 2, return_metadata = true, use_chat_template = true,
        });
        var reader = await ReaderServer.ReaderIdAsync("chat");
        var expected = await Client.PostJsonAsync($"/tokenize/{reader}", new { text = "Hi", use_chat_template = true });

        // The prompt grew by the template's text; /generate adds one beginning-of-sequence token.
        Assert.That(templated["metadata"]!["prompt_tokens"]!.GetValue<int>(), Is.EqualTo(expected["tokens_count"]!.GetValue<int>() + 1)
            .And.GreaterThan(plain["metadata"]!["prompt_tokens"]!.GetValue<int>() + 5));
    }

    [Test]
    public async Task UseChatTemplate_ModelWithoutTemplate_ChatMlLikeTheChatmlFallback()
    {
        var answer = await Client.GenerateAsync(new { text = "Hi", consumer_group = "alpha", use_chat_template = true, max_new_tokens = 2, return_metadata = true });
        var reader = await ReaderServer.ReaderIdAsync("alpha");
        var expected = await Client.PostJsonAsync($"/tokenize/{reader}", new { text = "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n" });

        Assert.That(answer["metadata"]!["prompt_tokens"]!.GetValue<int>(), Is.EqualTo(expected["tokens_count"]!.GetValue<int>() + 1));
    }
}
