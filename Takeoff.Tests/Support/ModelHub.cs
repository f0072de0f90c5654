using System.Net;
using System.Net.Sockets;

namespace Takeoff.Tests.Support;

/// <summary>
/// Serves one file over HTTP on a free loopback port, as a model hub would. A stalling hub sends the headers and
/// the first bytes, then holds the rest until it is disposed: a download that is visibly in progress.
/// </summary>
internal sealed class ModelHub : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;

    private ModelHub(string file, bool stall)
    {
        var port = FreeLoopbackPort();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        Url = $"http://127.0.0.1:{port}/{Path.GetFileName(file)}";
        if (!stall)
            _released.SetResult();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                var context = await _listener.GetContextAsync();
                _requested.TrySetResult();
                var bytes = await File.ReadAllBytesAsync(file);
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes.AsMemory(0, 1024));
                await context.Response.OutputStream.FlushAsync();
                await _released.Task;
                await context.Response.OutputStream.WriteAsync(bytes.AsMemory(1024));
                context.Response.Close();
            }
        });
    }

    public string Url { get; }

    /// <summary>Completes when a client has asked for the file.</summary>
    public Task Requested => _requested.Task;

    public static ModelHub Serve(string file) => new(file, stall: false);

    public static ModelHub ServeStalling(string file) => new(file, stall: true);

    /// <summary>A loopback port nothing listens on right now: a server can take it, or a client can find it closed.</summary>
    public static int FreeLoopbackPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _released.TrySetResult();
        _listener.Close();
        _ = _loop.Exception;
    }
}
