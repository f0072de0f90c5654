using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration.Security;

/// <summary>Requests built to cost the server more than they are worth, or to be read two ways: refused cheaply, then the server answers.</summary>
internal sealed class HostileRequestTests
{
    private TakeoffServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await TakeoffServer.StartWithModelsAsync(
    [
        TakeoffServer.Stories260K("story", new { chat_template = "chatml" }),
        TakeoffServer.Stories260K("story-embed", new { consumer_group = "embed", model_type = "EMBEDDING", context_size = 512 }),
    ]);

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task MegabytesOfPrompt_400BeforeTheTokenizerRuns_OnBothApis()
    {
        var huge = string.Concat(Enumerable.Repeat("Once upon a time ", 400_000)); // 6.8 MB

        var takeoff = await _server.Client.PostJsonAsync("/generate", new { text = huge }, 400);
        var chat = await _server.Client.PostJsonAsync("/v1/chat/completions",
            new { messages = new[] { new { role = "user", content = huge } } }, 400);

        // "at least": counted from the bytes, the tokenizer never saw it (it took 12 s for 9 MB).
        Assert.That(takeoff["errors"]!["text"]![0]!.GetValue<string>(), Does.Contain("at least"));
        Assert.That(chat["error"]!["message"]!.GetValue<string>(), Does.Contain("at least"));
        await AnswersAsync();
    }

    [Test]
    public async Task MegabytesOfPrompt_WithPromptMaxTokens_KeepsItsEnd()
    {
        const string End = "Once upon a time, there was a little girl named Lily.";
        var huge = string.Concat(Enumerable.Repeat("The cat sat. ", 200_000)) + End;

        var cut = await _server.Client.GenerateAsync(new { text = huge, prompt_max_tokens = 12, max_new_tokens = 8, return_metadata = true });
        var whole = await _server.Client.GenerateAsync(new { text = End, prompt_max_tokens = 12, max_new_tokens = 8, return_metadata = true });

        Assert.That(cut["metadata"]!["prompt_tokens"]!.GetValue<int>(), Is.EqualTo(12));
        Assert.That(cut["text"]!.GetValue<string>(), Is.EqualTo(whole["text"]!.GetValue<string>()));
    }

    [Test]
    public async Task DuplicateJsonKeys_400OnBothApis()
    {
        using var takeoff = await PostRawAsync("/generate", """{"text": "Once", "max_new_tokens": 2, "max_new_tokens": 3}""");
        using var openAi = await PostRawAsync("/v1/completions", """{"prompt": "Once", "temperature": 0, "temperature": 2}""");

        Assert.That(takeoff.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await takeoff.Content.ReadAsStringAsync(), Does.Contain("max_new_tokens"));
        Assert.That(openAi.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await openAi.Content.ReadAsStringAsync(), Does.Contain("temperature"));
        await AnswersAsync();
    }

    [TestCase("[[2147483648]]")]
    [TestCase("[2147483648]")]
    [TestCase("[[1, \"a\"]]")]
    public async Task Embeddings_TokenIdsBeyondInt_400WithParamInput(string input)
    {
        using var response = await PostRawAsync("/v1/embeddings", $$"""{"model": "embed", "input": {{input}}}""");

        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(error["param"]!.GetValue<string>(), Is.EqualTo("input"), error.ToJsonString());
    }

    private Task<HttpResponseMessage> PostRawAsync(string path, string json) =>
        _server.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task AnswersAsync()
    {
        var answer = await _server.Client.GenerateAsync(new { text = "Once upon a time", max_new_tokens = 3 });
        Assert.That(answer["text"]!.GetValue<string>(), Is.Not.Empty);
    }
}
