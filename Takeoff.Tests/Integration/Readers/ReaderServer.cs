using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration.Readers;

/// <summary>
/// One server with several readers, all stories260K under different names: "story-a" (group alpha),
/// "story-b" (beta), "story-chat" (chat, with the chatml template), "story-embed" (embed, EMBEDDING), and
/// "ghost" (not booted; its file does not exist).
/// </summary>
[SetUpFixture]
internal sealed class ReaderServer
{
    private static TakeoffServer? _server;

    public static TakeoffServer Instance => _server ?? throw new InvalidOperationException("The reader server is not running.");

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await TakeoffServer.StartWithModelsAsync(
        [
            TakeoffServer.Stories260K("story-a", new { consumer_group = "alpha", max_batch_size = 4 }),
            TakeoffServer.Stories260K("story-b", new { consumer_group = "beta", max_batch_size = 4 }),
            TakeoffServer.Stories260K("story-chat", new { consumer_group = "chat", max_batch_size = 2, chat_template = "chatml" }),
            TakeoffServer.Stories260K("story-embed", new { consumer_group = "embed", model_type = "EMBEDDING", context_size = 512 }),
            new JsonObject { ["name"] = "ghost", ["file"] = "missing.gguf", ["boot"] = false, ["consumer_group"] = "ghosts" },
        ],
        ["--Takeoff:ReaderStopGraceSeconds=0.1"]);

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    /// <summary>The id of the first reader of <paramref name="group"/>.</summary>
    public static Task<string> ReaderIdAsync(string group) => Instance.ReaderIdAsync(group);
}
