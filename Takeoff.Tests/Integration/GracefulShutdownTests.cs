using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Integration;

/// <summary>
/// The server as an orchestrator runs it: a real child process, stopped with SIGTERM while it streams. Every client
/// must get a complete answer (no reset), new requests a 503, and the process must exit 0.
/// </summary>
internal sealed class GracefulShutdownTests
{
    private const int Long = 4000;

    [Test]
    public async Task Sigterm_RunningStreamsEndCleanly_NewRequestsGet503_ProcessExitsZero()
    {
        await using var server = await ServerProcess.StartAsync(graceSeconds: 2);
        using var client = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromMinutes(2) };
        var started = Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource()).ToArray();
        Task<string>[] streams =
        [
            PlainAsync(client, started[0]),
            PlainAsync(client, started[1]),
            TakeoffEventsAsync(client, started[2]),
            OpenAiEventsAsync(client, started[3]),
        ];
        await Task.WhenAll(started.Select(s => s.Task)).WaitAsync(TimeSpan.FromSeconds(60));

        var terminated = Stopwatch.StartNew();
        server.Terminate();

        await WaitForAsync(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
            "readiness did not turn false at once");
        // A balancer probing every few hundred milliseconds must see it before it sends much more.
        Assert.That(terminated.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "readiness turned 503 too late");
        using (var live = await client.GetAsync("/health/live"))
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), "draining is not dead: liveness stays 200");
        using (var refused = await client.PostAsJsonAsync("/generate", new { text = "Once" }))
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(refused.Headers.RetryAfter, Is.Not.Null);
        }
        var endings = await Task.WhenAll(streams).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(endings[0], Is.Not.Empty);
        Assert.That(endings[1], Is.Not.Empty);
        Assert.That(endings[2], Is.EqualTo("stopped"), "the SSE stream ends with its metadata");
        Assert.That(endings[3], Is.EqualTo("length [DONE]"), "the /v1 stream ends with its finish_reason and [DONE]");
        Assert.That(await server.ExitCodeAsync(TimeSpan.FromSeconds(30)), Is.Zero);
    }

    private static object LongBody => new { text = "Once upon a time", max_new_tokens = Long, min_new_tokens = Long, return_metadata = true };

    /// <summary>Reads a plain /generate_stream to its end (a reset throws); returns the text.</summary>
    private static async Task<string> PlainAsync(HttpClient client, TaskCompletionSource started)
    {
        using var response = await client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/generate_stream") { Content = JsonContent.Create(LongBody) },
            HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = new char[16];
        var read = await reader.ReadAsync(first);
        started.SetResult();
        return new string(first, 0, read) + await reader.ReadToEndAsync();
    }

    /// <summary>Reads /generate_stream as SSE to its end; returns the finish_reason of its metadata event.</summary>
    private static async Task<string> TakeoffEventsAsync(HttpClient client, TaskCompletionSource started)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/generate_stream") { Content = JsonContent.Create(LongBody) };
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var finish = "no metadata";
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            started.TrySetResult();
            if (item.EventType == "metadata")
                finish = JsonNode.Parse(item.Data)!["finish_reason"]!.GetValue<string>();
        }
        return finish;
    }

    /// <summary>Reads a /v1/chat/completions stream to its end; returns its last finish_reason and its last data.</summary>
    private static async Task<string> OpenAiEventsAsync(HttpClient client, TaskCompletionSource started)
    {
        var body = new
        {
            messages = new[] { new { role = "user", content = "Tell me a story." } }, stream = true,
            max_tokens = Long, min_tokens = Long, temperature = 0,
        };
        using var response = await client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) },
            HttpCompletionOption.ResponseHeadersRead);
        string finish = "none", last = "";
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            started.TrySetResult();
            last = item.Data;
            if (last != "[DONE]" && JsonNode.Parse(last)!["choices"]!.AsArray() is [{ } choice] && choice["finish_reason"] is { } reason)
                finish = reason.GetValue<string>();
        }
        return $"{finish} {last}";
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!await condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), failure);
            await Task.Delay(20);
        }
    }

    /// <summary>The built server (Takeoff.Api.dll beside the tests) in a process of its own, on free loopback ports.</summary>
    private sealed class ServerProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _catalog;

        private ServerProcess(Process process, string catalog, Uri url)
        {
            _process = process;
            _catalog = catalog;
            Url = url;
        }

        public Uri Url { get; }

        public static async Task<ServerProcess> StartAsync(int graceSeconds)
        {
            var catalog = Path.Combine(Path.GetTempPath(), $"takeoff-models-{Guid.NewGuid():N}.json");
            var entry = TakeoffServer.Stories260K("stories260K", new { context_size = Long + 256, max_batch_size = 4, chat_template = "chatml" });
            await File.WriteAllTextAsync(catalog, JsonSerializer.Serialize(new { models = new[] { entry } }));
            var port = ModelHub.FreeLoopbackPort();
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList =
                {
                    Path.Combine(AppContext.BaseDirectory, "Takeoff.Api.dll"), "--port", $"{port}",
                    "--management-port", $"{ModelHub.FreeLoopbackPort()}", "--openai-port", "0",
                    "--models-dir", TestModels.Directory, "--models-file", catalog,
                    $"--Takeoff:ShutdownGraceSeconds={graceSeconds}", "--Logging:LogLevel:Default=Warning",
                },
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var process = Process.Start(start)!;
            // Drained so that the child never blocks on a full pipe.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new ServerProcess(process, catalog, new Uri($"http://127.0.0.1:{port}"));
            await server.WaitUntilReadyAsync();
            return server;
        }

        /// <summary>What an orchestrator sends to stop a container.</summary>
        public void Terminate() => Process.Start("bash", ["-c", $"kill -TERM {_process.Id}"])!.WaitForExit();

        public async Task<int> ExitCodeAsync(TimeSpan limit)
        {
            using var timeout = new CancellationTokenSource(limit);
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        private async Task WaitUntilReadyAsync()
        {
            using var client = new HttpClient { BaseAddress = Url };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                Assert.That(_process.HasExited, Is.False, "the server process exited while starting");
                try
                {
                    using var response = await client.GetAsync("/health/ready");
                    if (response.IsSuccessStatusCode)
                        return;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                await Task.Delay(100);
            }
            throw new TimeoutException("The server process did not become ready within 60 s.");
        }

        public ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            _process.Dispose();
            File.Delete(_catalog);
            return ValueTask.CompletedTask;
        }
    }
}
