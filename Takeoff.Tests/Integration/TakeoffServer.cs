using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Takeoff.Api;

namespace Takeoff.Tests.Integration;

/// <summary>
/// The real server: Kestrel on a free loopback port, the real stories260K model, talked to over real HTTP.
/// A custom catalog entry (JSON, snake_case like models.json) gives a server its own capacity limits.
/// </summary>
internal sealed class TakeoffServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _catalogFile;

    private TakeoffServer(WebApplication app, string? catalogFile)
    {
        _app = app;
        _catalogFile = catalogFile;
        BaseAddress = new Uri(app.Urls.Single());
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <param name="modelSettings">Extra models.json fields for the stories260K entry, e.g. <c>new { max_queue = 1 }</c>.</param>
    /// <param name="extraArgs">More command-line flags for the server, e.g. <c>["--stream-format", "sse"]</c>.</param>
    public static async Task<TakeoffServer> StartAsync(object? modelSettings = null, string[]? extraArgs = null)
    {
        var catalogFile = Path.Combine(Path.GetTempPath(), $"takeoff-models-{Guid.NewGuid():N}.json");
        var entry = JsonSerializer.SerializeToNode(new { name = "stories260K", file = "stories260K.gguf" })!.AsObject();
        if (modelSettings is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(modelSettings)!.AsObject())
                entry[key] = value?.DeepClone();
        }
        await File.WriteAllTextAsync(catalogFile,
            JsonSerializer.Serialize(new { @default = "stories260K", models = new[] { entry } }));

        var app = TakeoffApp.Create([
            "--port", "0",
            "--models-dir", TestModels.Directory,
            "--models-file", catalogFile,
            "--Logging:LogLevel:Default=Warning",
            .. extraArgs ?? [],
        ]);
        await app.StartAsync();
        var server = new TakeoffServer(app, catalogFile);
        await server.WaitUntilHealthyAsync();
        return server;
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Client.GetAsync("/health");
            if (response.IsSuccessStatusCode)
                return;
            await Task.Delay(50);
        }
        throw new TimeoutException("The server did not become healthy within 60 s.");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_catalogFile is not null)
            File.Delete(_catalogFile);
    }
}
