using System.Diagnostics;
using System.Text.Json;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Text;
using Takeoff.Engine.Text.Tools;

namespace Takeoff.Tests.Engine.Text;

/// <summary>ChatTemplate over our Jinja engine, without a model: sources as a GGUF's metadata would hold them.</summary>
internal sealed class ChatTemplateTests
{
    private static readonly string Templates = Path.GetFullPath(Path.Combine(TestModelsDirectory(), "..", "chat-templates"));

    private static string TestModelsDirectory() => Integration.TestModels.Directory;

    private static ChatTemplate FromGguf(string source, string bos = "<s>", string eos = "</s>") =>
        new(new Dictionary<string, string> { ["tokenizer.chat_template"] = source }, "test", null, Path.GetTempPath(), bos, eos, TimeProvider.System);

    private static readonly ChatTools Tools = new(
    [
        new ChatTool("get_weather", "Get the current weather in a city.", JsonDocument.Parse(
            """{"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["city"]}""").RootElement),
        new ChatTool("search_web", "Search the web.", JsonDocument.Parse(
            """{"type": "object", "properties": {"query": {"type": "string"}, "max_results": {"type": "integer"}}, "required": ["query"]}""").RootElement),
    ], ToolChoice.Auto);

    private static readonly ChatMessage[] ToolConversation =
    [
        new("user", "What's the weather in Paris?"),
        new("assistant", null) { ToolCalls = [new ChatToolCall("call1A2b3", "get_weather", "{\"city\": \"Paris\", \"unit\": \"celsius\"}")] },
        new("tool", "{\"temperature\": 18}") { ToolCallId = "call1A2b3", Name = "get_weather" },
    ];

    [Test]
    public void NoTemplate_ChatMl_ToolsDescribedInASystemTurn_CallsAsGenericJson()
    {
        var template = new ChatTemplate(new Dictionary<string, string>(), "test", null, Path.GetTempPath(), "<s>", "</s>", TimeProvider.System);

        var prompt = template.Apply(ToolConversation, addGenerationPrompt: true, Tools);

        Assert.That(template.Origin, Is.EqualTo("chatml (default)"));
        Assert.That(template.ToolFormat, Is.EqualTo(ToolCallFormat.Generic));
        Assert.That(prompt, Does.StartWith("<|im_start|>system\nYou can call these tools:\n{\"type\":\"function\""));
        Assert.That(prompt, Does.Contain("<|im_start|>assistant\n{\"tool_calls\":[{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\",\"unit\":\"celsius\"},\"id\":\"call1A2b3\"}]}<|im_end|>"));
        Assert.That(prompt, Does.Contain("<|im_start|>user\n{\"tool_response\":{\"tool\":\"get_weather\""));
        Assert.That(prompt, Does.EndWith("<|im_start|>assistant\n"));
    }

    [Test]
    public void TemplatePrintingBos_BosStrippedForTheTokenizer()
    {
        var template = FromGguf("{{ bos_token }}{% for m in messages %}[{{ m.role }}] {{ m.content }}{% endfor %}", bos: "<|begin_of_text|>");

        Assert.That(template.Apply([new ChatMessage("user", "Hi")], addGenerationPrompt: true), Is.EqualTo("[user] Hi"));
    }

    [Test]
    public void TemplateError_400OnMessages()
    {
        var template = FromGguf("{{ messages[0].content + 1 }}");

        var error = Assert.Throws<EngineException>(() => template.Apply([new ChatMessage("user", "Hi")], addGenerationPrompt: true));

        Assert.That(error!.Input, Is.EqualTo(EngineInput.Messages));
        Assert.That(error.Message, Does.StartWith("The chat template of 'test' failed: "));
    }

    [Test]
    public void GgufTemplateThatDoesNotParse_EachChatRequestRefusedSayingWhy()
    {
        var template = FromGguf("{% for m in messages %}{{ m.content }}");

        var error = Assert.Throws<EngineException>(() => template.Apply([new ChatMessage("user", "Hi")], addGenerationPrompt: true));

        Assert.That(error!.Input, Is.EqualTo(EngineInput.Messages));
        Assert.That(error.Message, Does.Contain("does not parse").And.Contain(".jinja"));
    }

    [Test]
    public void JinjaFileOutsideTheModelsDirectory_Refused()
    {
        var models = Path.Combine(Path.GetTempPath(), $"takeoff-models-{Guid.NewGuid():N}");
        Directory.CreateDirectory(models);
        try
        {
            Assert.That(() => new ChatTemplate(new Dictionary<string, string>(), "test", "../outside.jinja", models, "", "", TimeProvider.System),
                Throws.TypeOf<Takeoff.Engine.Models.ModelFileException>().With.Message.Contains("outside the models directory"));
        }
        finally
        {
            Directory.Delete(models);
        }
    }

    [TestCase("Qwen-Qwen2.5-7B-Instruct.jinja", ToolCallFormat.Hermes)]
    [TestCase("NousResearch-Hermes-3-Llama-3.1-8B-tool_use.jinja", ToolCallFormat.Hermes)]
    [TestCase("meta-llama-Llama-3.1-8B-Instruct.jinja", ToolCallFormat.Llama3)]
    [TestCase("meta-llama-Llama-3.2-3B-Instruct.jinja", ToolCallFormat.Llama3)]
    [TestCase("mistralai-Mistral-Nemo-Instruct-2407.jinja", ToolCallFormat.Mistral)]
    [TestCase("google-gemma-2-2b-it.jinja", ToolCallFormat.Generic)]
    public void ToolFormat_DetectedFromTheSource(string file, ToolCallFormat format) =>
        Assert.That(FromGguf(File.ReadAllText(Path.Combine(Templates, file))).ToolFormat, Is.EqualTo(format));

    /// <summary>What a request pays on its thread: the variables built from the conversation and tools, the render, the BOS check.</summary>
    [Test]
    public void RenderTime_LargestTemplatesWithTools()
    {
        var files = Directory.GetFiles(Templates, "*.jinja").OrderByDescending(f => new FileInfo(f).Length).Take(4)
            .Concat([Path.Combine(Templates, "Qwen-Qwen2.5-7B-Instruct.jinja"), Path.Combine(Templates, "meta-llama-Llama-3.1-8B-Instruct.jinja")]);
        foreach (var file in files)
        {
            var template = FromGguf(File.ReadAllText(file));
            for (var i = 0; i < 50; i++)
                template.Apply(ToolConversation, addGenerationPrompt: true, Tools);
            const int renders = 1000;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < renders; i++)
                template.Apply(ToolConversation, addGenerationPrompt: true, Tools);
            var perRender = clock.Elapsed / renders;

            TestContext.Out.WriteLine($"{Path.GetFileName(file)} ({new FileInfo(file).Length:N0} bytes): {perRender.TotalMicroseconds:F0} µs per request");
            Assert.That(perRender, Is.LessThan(TimeSpan.FromMilliseconds(5)), file);
        }
    }
}
