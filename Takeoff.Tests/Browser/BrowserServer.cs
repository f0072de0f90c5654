using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Takeoff.Tests.Integration;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Browser;

/// <summary>
/// One server and one Chromium for the browser tests. Groups: "primary" serves stories260K-chat.gguf (ChatML in its
/// GGUF, so /v1/chat/completions works), "stories" plain stories260K, "small" the chat model with a 64-token
/// context (prompts over it are refused), "busy" the chat model with one slot and a queue of one (easy to fill, so
/// that the next request is a 503), "qwen" the shared Qwen2 vocabulary model (Qwen2.5's template with tools; random
/// weights, so only forced calls mean anything). The OpenAI port is on, to check that the pages are not served there.
/// The management API is on the inference port + 1, its default, where the pages look for it.
/// </summary>
[SetUpFixture]
internal sealed class BrowserServer
{
    private static TakeoffServer? _server;
    private static IPlaywright? _playwright;
    private static IBrowser? _browser;

    public static TakeoffServer Instance => _server ?? throw new InvalidOperationException("The browser tests' server is not running.");

    public static IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium is not running.");

    public static int OpenAiPort { get; private set; }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        OpenAiPort = ModelHub.FreeLoopbackPort();
        _server = await TakeoffServer.StartWithModelsAsync(
            [
                ChatModel("chatty", new { consumer_group = "primary", max_batch_size = 4 }),
                TakeoffServer.Stories260K("story", new { consumer_group = "stories", max_batch_size = 4 }),
                ChatModel("tiny", new { consumer_group = "small", max_batch_size = 2, context_size = 64 }),
                ChatModel("jammed", new { consumer_group = "busy", max_batch_size = 1, max_queue = 1 }),
                QwenModel("qwen2", new { consumer_group = "qwen", max_batch_size = 2, context_size = 2048 }),
            ],
            ["--port", FreePortPair().ToString(CultureInfo.InvariantCulture), "--openai-port", OpenAiPort.ToString(CultureInfo.InvariantCulture)]);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_browser is not null)
            await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    /// <summary>A free loopback port whose next port is free too.</summary>
    private static int FreePortPair()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var first = new TcpListener(IPAddress.Loopback, 0);
            first.Start();
            var port = ((IPEndPoint)first.LocalEndpoint).Port;
            using var second = new TcpListener(IPAddress.Loopback, port + 1);
            try
            {
                second.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another pair.
            }
        }
        throw new InvalidOperationException("No two consecutive free loopback ports.");
    }

    private static JsonObject ChatModel(string name, object settings)
    {
        var entry = TakeoffServer.Stories260K(name, settings);
        entry["file"] = "stories260K-chat.gguf";
        return entry;
    }

    private static JsonObject QwenModel(string name, object settings)
    {
        var entry = TakeoffServer.Stories260K(name, settings);
        entry["file"] = "bench-qwen2-vocab-q8_0.gguf";
        return entry;
    }
}
