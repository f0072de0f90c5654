using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Integration.OpenAi.Tools;

/// <summary>
/// The models' own Jinja templates, rendered by our engine through POST /apply-template and /chat_template, against
/// what Jinja2 rendered for the same conversations (the golden corpus of Engine/Text/Jinja).
/// </summary>
internal sealed class ChatTemplateTests
{
    private static HttpClient Client => ToolServer.Instance.Client;

    private static readonly JsonObject Corpus = JsonNode.Parse(File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "Engine", "Text", "Jinja", "Golden", "conversations.json")))!.AsObject();

    private static JsonObject Conversation(string name) =>
        Corpus["conversations"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!.AsObject();

    private static string Golden(string template, string conversation) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Engine", "Text", "Jinja", "Golden", template + ".json")))!
            ["cases"]!.AsArray().Single(c => c!["conversation"]!.GetValue<string>() == conversation)!["output"]!.GetValue<string>();

    /// <summary>The corpus conversation as an /apply-template body for <paramref name="model"/>.</summary>
    private static JsonObject Body(string model, string conversation)
    {
        var source = Conversation(conversation);
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = source["messages"]!.DeepClone(),
            ["add_generation_prompt"] = source["add_generation_prompt"]!.DeepClone(),
        };
        if (source["tools"] is { } tools)
            body["tools"] = Corpus["toolsets"]![tools.GetValue<string>()]!.DeepClone();
        return body;
    }

    private static async Task<string> ApplyAsync(JsonObject body) =>
        (await Client.PostJsonAsync("/apply-template", body))["prompt"]!.GetValue<string>();

    [TestCase("plain")]
    [TestCase("multi_turn")]
    [TestCase("tools_offered")]
    [TestCase("tool_call")]
    [TestCase("parallel_tool_calls")]
    public async Task Qwen_RendersAsJinja2Does(string conversation)
    {
        var prompt = await ApplyAsync(Body("qwen", conversation));

        Assert.That(prompt, Is.EqualTo(Golden("Qwen-Qwen2.5-7B-Instruct", conversation)));
        if (conversation == "plain")
            Assert.That(prompt, Does.Contain("You are Qwen, created by Alibaba Cloud. You are a helpful assistant."));
    }

    [TestCase("plain")]
    [TestCase("tool_call")]
    public async Task Llama31_RendersAsJinja2Does_WithTodaysDateAndBosLeftToTheTokenizer(string conversation)
    {
        var prompt = await ApplyAsync(Body("llama3", conversation));

        // The corpus was rendered with bos_token "<s>" and no date_string (the template's default, 26 Jul 2024); the
        // server strips the model's own BOS text (the tokenizer adds the token) and passes today's date.
        var today = DateTime.Now.ToString("dd MMM yyyy", CultureInfo.InvariantCulture);
        var expected = Golden("meta-llama-Llama-3.1-8B-Instruct", conversation)["<s>".Length..].Replace("26 Jul 2024", today, StringComparison.Ordinal);
        Assert.That(prompt, Is.EqualTo(expected));
        Assert.That(prompt, Does.Contain("Cutting Knowledge Date: December 2023\nToday Date: " + today));
    }

    [Test]
    public async Task ChatTemplateEndpoint_UsesTheSameEngine()
    {
        var reader = await ToolServer.Instance.ReaderIdAsync("qwen");

        var formatted = await Client.PostJsonAsync($"/chat_template/{reader}",
            new { inputs = new[] { new[] { new { role = "user", content = "Hello! Who are you?" } } } });

        Assert.That(formatted["messages"]![0]!.GetValue<string>(), Is.EqualTo(Golden("Qwen-Qwen2.5-7B-Instruct", "plain")));
        var groups = await ToolServer.Instance.Management.GetJsonAsync("/reader_groups");
        Assert.That(groups["qwen"]![0]!["chat_template"]!.GetValue<string>(), Is.EqualTo("gguf"));
        Assert.That(groups["raising"]![0]!["chat_template"]!.GetValue<string>(), Is.EqualTo("raising.jinja"));
    }

    [Test]
    public async Task TrailingAssistantMessage_IsAPrefillTheAnswerContinues()
    {
        var prompt = await ApplyAsync(new JsonObject
        {
            ["model"] = "qwen",
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = "Count to three." },
                new JsonObject { ["role"] = "assistant", ["content"] = "One, two," }),
        });

        Assert.That(prompt, Does.EndWith("<|im_start|>assistant\nOne, two,"));
    }

    [Test]
    public async Task RaiseException_400OnMessagesWithTheTemplatesMessage_ThenServesNormally()
    {
        using var response = await Client.PostAsJsonAsync("/v1/chat/completions", new JsonObject
        {
            ["model"] = "raising",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "system", ["content"] = "Be brief." },
                new JsonObject { ["role"] = "user", ["content"] = "Hi" }),
        });
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(error["message"]!.GetValue<string>(), Is.EqualTo(ToolServer.RaisedMessage));
        Assert.That(error["param"]!.GetValue<string>(), Is.EqualTo("messages"));

        var fine = await Client.PostJsonAsync("/v1/chat/completions", new JsonObject
        {
            ["model"] = "raising", ["max_tokens"] = 4,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hi" }),
        });
        Assert.That(fine["choices"]![0]!["message"]!["content"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(fine["system_fingerprint"]!.GetValue<string>(), Does.StartWith("fp_"));
    }

    [Test]
    public async Task PromptLongerThanTheContext_400ContextLengthExceeded()
    {
        using var response = await Client.PostAsJsonAsync("/v1/chat/completions", new JsonObject
        {
            ["model"] = "qwen",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = string.Concat(Enumerable.Repeat("word ", 3000)) }),
        });
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(error["code"]!.GetValue<string>(), Is.EqualTo("context_length_exceeded"));
        Assert.That(error["message"]!.GetValue<string>(), Does.StartWith("This model's maximum context length is 2048 tokens"));
        Assert.That(error["param"]!.GetValue<string>(), Is.EqualTo("messages"));
    }
}
