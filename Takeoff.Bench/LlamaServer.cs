using System.Diagnostics;
using System.Net.Sockets;

namespace Takeoff.Bench;

/// <summary>
/// llama.cpp's own llama-server, the yardstick, started on the same model with the same slots, per-slot KV and
/// thread count as the server under test, on a free loopback port.
/// </summary>
internal sealed class LlamaServer : IAsyncDisposable
{
    private readonly Process _process;

    private LlamaServer(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <param name="contextPerSlot">Each slot's context window; llama-server's -c is the total.</param>
    /// <param name="chatTemplate">For models whose GGUF carries none (its /v1/chat/completions needs one).</param>
    public static async Task<LlamaServer> StartAsync(string binary, string model, int slots, int contextPerSlot, int threads,
        string? chatTemplate = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(binary)
        {
            ArgumentList =
            {
                "-m", model, "-c", $"{contextPerSlot * slots}", "-np", $"{slots}", "-no-kvu", "-t", $"{threads}",
                "-tb", $"{threads}", "--host", "127.0.0.1", "--port", $"{port}", "--log-disable",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (chatTemplate is not null)
        {
            start.ArgumentList.Add("--chat-template");
            start.ArgumentList.Add(chatTemplate);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LlamaServer(process, new Uri($"http://127.0.0.1:{port}"));
        await server.WaitUntilHealthyAsync();
        return server;
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = Url };
        for (var deadline = DateTime.UtcNow.AddMinutes(1); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"llama-server exited with code {_process.ExitCode}.");
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
        }
        throw new TimeoutException("llama-server did not become healthy within a minute.");
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
