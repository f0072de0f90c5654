using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration.OpenAi.Tools;

/// <summary>
/// One server for the chat-template and tool-calling tests, with the two shared models that carry real chat templates
/// with tool calling (random weights: their text is meaningless, so forced calls are judged on content and free
/// answers on protocol): "qwen" (Qwen2.5-7B-Instruct's template, Hermes &lt;tool_call&gt; blocks) and "llama3"
/// (Llama-3.1-8B-Instruct's, JSON calls), and "raising", stories260K whose models.json chat_template is a .jinja file
/// that calls raise_exception for a system turn. The models directory is a temporary one linking the shared models,
/// since the .jinja file must live in it.
/// </summary>
[SetUpFixture]
internal sealed class ToolServer
{
    public const string RaisedMessage = "This template takes no system turn.";

    private static TakeoffServer? _server;
    private static string? _directory;

    public static TakeoffServer Instance => _server ?? throw new InvalidOperationException("The tool server is not running.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"takeoff-tools-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        foreach (var file in new[] { "stories260K.gguf", "bench-qwen2-vocab-q8_0.gguf", "bench-llama3-vocab-q8_0.gguf" })
            File.CreateSymbolicLink(Path.Combine(_directory, file), Path.Combine(TestModels.Directory, file));
        await File.WriteAllTextAsync(Path.Combine(_directory, "raising.jinja"),
            "{%- for message in messages -%}{%- if message.role == 'system' -%}{{ raise_exception('" + RaisedMessage + "') }}{%- endif -%}" +
            "{{ message.role + ': ' + message.content + '\\n' }}{%- endfor -%}{%- if add_generation_prompt -%}{{ 'assistant: ' }}{%- endif -%}");
        _server = await TakeoffServer.StartWithModelsAsync(
            [
                Model("qwen", "bench-qwen2-vocab-q8_0.gguf"),
                Model("llama3", "bench-llama3-vocab-q8_0.gguf"),
                TakeoffServer.Stories260K("raising", new { consumer_group = "raising", max_batch_size = 2, chat_template = "raising.jinja" }),
            ],
            modelsDirectory: _directory);
    }

    private static JsonObject Model(string name, string file)
    {
        var entry = TakeoffServer.Stories260K(name, new { consumer_group = name, max_batch_size = 4, context_size = 2048 });
        entry["file"] = file;
        return entry;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        if (_directory is not null)
            Directory.Delete(_directory, recursive: true);
    }
}
