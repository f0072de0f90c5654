using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Takeoff.Engine.Hosting;
using Takeoff.Engine.Readers;

namespace Takeoff.Engine;

/// <summary>
/// The readers' part in the server's life. At start it starts the readers models.json marks for boot (or those named
/// by --model); they load in the background, so the server answers at once. An unreadable models.json is a
/// configuration error and stops the process. At shutdown (SIGTERM, Ctrl+C) it drains every reader before the web
/// server stops: new requests are refused at once, running ones get the grace period, the rest end cleanly.
/// </summary>
internal sealed partial class ReaderBoot(
    IOptions<EngineOptions> options,
    ReaderManager readers,
    ILogger<ReaderBoot> logger,
    IHostApplicationLifetime lifetime) : IHostedLifecycleService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var modelsDirectory = Path.GetFullPath(options.Value.ModelsDir);
        LogModelsDirectory(logger, modelsDirectory, Environment.CurrentDirectory);
        try
        {
            foreach (var entry in readers.Catalog.BootEntries(options.Value.Model))
                readers.Start(entry, boot: true);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or System.Text.Json.JsonException)
        {
            LogBadCatalog(logger, e, e.Message);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs before any hosted service stops, the web server included: its connections are still open, so every
    /// client gets the end of its answer before Kestrel closes them.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var grace = TimeSpan.FromSeconds(options.Value.ShutdownGraceSeconds);
        LogDraining(logger, grace.TotalSeconds);
        await readers.ShutdownAsync(grace);
        LogDrained(logger);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 10, Level = LogLevel.Critical, Message = "models.json cannot be used: {Reason}")]
    private static partial void LogBadCatalog(ILogger logger, Exception error, string reason);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information,
        Message = "Models directory: {Directory} (a relative --models-dir resolves against the working directory, {WorkingDirectory})")]
    private static partial void LogModelsDirectory(ILogger logger, string directory, string workingDirectory);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information,
        Message = "Shutting down: new requests are refused; running ones get {Seconds} s to finish")]
    private static partial void LogDraining(ILogger logger, double seconds);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Every reader drained and freed")]
    private static partial void LogDrained(ILogger logger);
}
