using System.ClientModel;
using System.Text.Json.Nodes;
using OpenAI;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Integration.OpenAi;

/// <summary>
/// One server for the /v1 tests, all stories260K: "chat" serves stories260K-chat.gguf (its chat template is in the
/// GGUF), "primary" serves stories260K.gguf with the models.json fallback "chatml", "plain" has no template at
/// all, "embed" is an EMBEDDING reader. The OpenAI port is on, on a free port of its own.
/// </summary>
[SetUpFixture]
internal sealed class OpenAiServer
{
    private static TakeoffServer? _server;

    public static TakeoffServer Instance => _server ?? throw new InvalidOperationException("The OpenAI server is not running.");

    public static int OpenAiPort { get; private set; }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        OpenAiPort = ModelHub.FreeLoopbackPort();
        _server = await TakeoffServer.StartWithModelsAsync(
            [
                ChatModel(),
                TakeoffServer.Stories260K("story", new { consumer_group = "primary", chat_template = "chatml" }),
                TakeoffServer.Stories260K("story-plain", new { consumer_group = "plain", max_batch_size = 2 }),
                TakeoffServer.Stories260K("story-embed", new { consumer_group = "embed", model_type = "EMBEDDING", context_size = 512 }),
            ],
            ["--openai-port", OpenAiPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    /// <summary>The official OpenAI SDK pointed at <c>/v1</c> on the inference port (or the OpenAI port).</summary>
    public static OpenAIClient Sdk(bool openAiPort = false)
    {
        var port = openAiPort ? OpenAiPort : Instance.Client.BaseAddress!.Port;
        // The server asks for no key (yet); the SDK insists on one.
        return new OpenAIClient(new ApiKeyCredential("no-key"), new OpenAIClientOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}/v1"),
            NetworkTimeout = TimeSpan.FromMinutes(2),
        });
    }

    private static JsonObject ChatModel()
    {
        var entry = TakeoffServer.Stories260K("chatty", new { consumer_group = "chat", max_batch_size = 4 });
        entry["file"] = "stories260K-chat.gguf";
        return entry;
    }
}
