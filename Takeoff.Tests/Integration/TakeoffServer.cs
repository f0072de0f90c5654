using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Takeoff.Api;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Integration;

/// <summary>
/// The real server: Kestrel on free loopback ports (inference and management), the real stories260K model,
/// talked to over real HTTP. Its models.json is written per server, so a test can set its own limits and readers.
/// </summary>
internal sealed class TakeoffServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _catalogFile;

    private TakeoffServer(WebApplication app, string catalogFile)
    {
        _app = app;
        _catalogFile = catalogFile;
        Client = new HttpClient { BaseAddress = app.InferenceUrl(), Timeout = TimeSpan.FromMinutes(2) };
        Management = new HttpClient { BaseAddress = app.ManagementUrl(), Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>A client of the inference API.</summary>
    public HttpClient Client { get; }

    /// <summary>A client of the management API.</summary>
    public HttpClient Management { get; }

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <param name="modelSettings">Extra models.json fields for the stories260K entry, e.g. <c>new { max_queue = 1 }</c>.</param>
    /// <param name="extraArgs">More command-line flags for the server, e.g. <c>["--stream-format", "sse"]</c>.</param>
    public static Task<TakeoffServer> StartAsync(object? modelSettings = null, string[]? extraArgs = null) =>
        StartWithModelsAsync([Stories260K("stories260K", modelSettings)], extraArgs);

    /// <summary>A models.json entry for stories260K under <paramref name="name"/>, with extra fields (snake_case).</summary>
    public static JsonObject Stories260K(string name, object? settings = null)
    {
        // One llama.cpp thread: on a 2-core machine the HTTP client under test needs the other core, or its reads
        // wait behind decoding and a stream looks like one late burst.
        var entry = JsonSerializer.SerializeToNode(new { name, file = "stories260K.gguf", threads = 1 })!.AsObject();
        if (settings is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(settings)!.AsObject())
                entry[key] = value?.DeepClone();
        }
        return entry;
    }

    /// <summary>Starts a server whose models.json holds <paramref name="models"/>; waits until its boot readers are ready.</summary>
    /// <param name="services">Registrations that replace the server's own, e.g. a decoder that fails on purpose.</param>
    /// <param name="modelsDirectory">The models directory; the shared one when null (tests that write to it use their own).</param>
    public static async Task<TakeoffServer> StartWithModelsAsync(JsonObject[] models, string[]? extraArgs = null,
        Action<IServiceCollection>? services = null, string? modelsDirectory = null)
    {
        var catalogFile = Path.Combine(Path.GetTempPath(), $"takeoff-models-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(catalogFile, JsonSerializer.Serialize(new { models }));

        var app = TakeoffApp.Create([
            "--port", "0",
            "--models-dir", modelsDirectory ?? TestModels.Directory,
            "--models-file", catalogFile,
            "--Logging:LogLevel:Default=Warning",
            // Several servers run at once in the tests: the fixed OpenAI port is off unless a test asks for one.
            "--openai-port", "0",
            .. extraArgs ?? [],
        ], registrations =>
        {
            // Every server also logs its request lines to the test process (FinishedRequests listens there).
            registrations.AddLogging(logging => logging.AddProvider(RequestLog.Provider)
                .AddFilter<RequestLog>(RequestLog.Category, LogLevel.Information));
            services?.Invoke(registrations);
        });
        await app.StartAsync();
        var server = new TakeoffServer(app, catalogFile);
        await server.WaitUntilHealthyAsync();
        return server;
    }

    /// <summary>
    /// Starts a reader through the management API and waits until it is in <paramref name="untilState"/>
    /// (within <paramref name="seconds"/>).
    /// </summary>
    public async Task<string> AddReaderAsync(object body, string untilState = "ready", int seconds = 60)
    {
        var created = await Management.PostJsonAsync("/reader", body, 201);
        var id = created["reader_id"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var config = await Management.GetJsonAsync($"/config/{id}");
            if (config["state"]!.GetValue<string>() == untilState)
                return id;
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"reader {id} never became {untilState}: {config}");
            await Task.Delay(50);
        }
    }

    /// <summary>The id of the first reader of <paramref name="group"/>, as the management API lists it.</summary>
    public async Task<string> ReaderIdAsync(string group) =>
        (await Management.GetJsonAsync("/reader_groups"))[group]![0]!["reader_id"]!.GetValue<string>();

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
        Management.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        File.Delete(_catalogFile);
    }
}
