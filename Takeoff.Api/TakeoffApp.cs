using Takeoff.Api.Hosting;
using Takeoff.Engine;
using Takeoff.Engine.Hosting;

namespace Takeoff.Api;

/// <summary>The server's composition: what Program runs, and what the tests start on a free port.</summary>
public static class TakeoffApp
{
    /// <param name="services">Registrations applied last, so they replace the defaults (tests use it for fault seams).</param>
    public static WebApplication Create(string[] args, Action<IServiceCollection>? services = null)
    {
        ReserveThreadPoolHeadroom();
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddTakeoffSources(args);
        var takeoff = builder.Configuration.GetSection(EngineOptions.Section);

        builder.Services.AddTakeoffEngine(takeoff);
        builder.AddTakeoffObservability(takeoff);
        builder.AddTakeoffApi(takeoff);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseTakeoffApi();
        return app;
    }

    /// <summary>
    /// Kestrel's writes and every request's continuations run on the thread pool, while llama.cpp's workers keep the
    /// cores busy decoding. On a small machine the writes then queue until the pool's hill climbing adds threads, which
    /// takes up to seconds: a stream reaches its client as one late burst. A few threads beyond the cores keep them running.
    /// </summary>
    private static void ReserveThreadPoolHeadroom()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount + 8), io);
    }

    /// <summary>Where the started app serves the inference API (useful when it was asked for port 0).</summary>
    public static Uri InferenceUrl(this WebApplication app) =>
        app.Urls.Select(url => new Uri(url)).Single(url => url.Port == app.Services.GetRequiredService<Listeners>().InferencePort);

    /// <summary>Where the started app serves the management API.</summary>
    public static Uri ManagementUrl(this WebApplication app) =>
        app.Urls.Select(url => new Uri(url)).Single(url => url.Port == app.Services.GetRequiredService<Listeners>().ManagementPort);
}
