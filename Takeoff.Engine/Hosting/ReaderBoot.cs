using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Takeoff.Engine.Readers;

namespace Takeoff.Engine.Hosting;

/// <summary>
/// Starts the readers models.json marks for boot (or those named by --model); they load in the background,
/// so the server answers at once. An unreadable models.json is a configuration error and stops the process.
/// </summary>
internal sealed partial class ReaderBoot(
    IOptions<EngineOptions> options,
    ReaderManager readers,
    ILogger<ReaderBoot> logger,
    IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var entry in readers.Catalog.BootEntries(options.Value.Model))
                readers.Start(entry);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or System.Text.Json.JsonException)
        {
            LogBadCatalog(logger, e, e.Message);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 10, Level = LogLevel.Critical, Message = "models.json cannot be used: {Reason}")]
    private static partial void LogBadCatalog(ILogger logger, Exception error, string reason);
}
