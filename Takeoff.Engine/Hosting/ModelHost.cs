using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Models;
using Takeoff.Engine.Scheduling;

namespace Takeoff.Engine.Hosting;

/// <summary>
/// Loads the served model in the background, so the server answers (503, "loading") at once; a model that
/// cannot be found or loaded stops the process with a message that says what to do.
/// </summary>
internal sealed partial class ModelHost(
    IOptions<EngineOptions> options,
    ModelRegistry registry,
    ModelFileResolver resolver,
    EngineMetrics metrics,
    TimeProvider time,
    ILoggerFactory loggers,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<ModelHost>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        string? group = null;
        try
        {
            var catalog = ModelCatalog.Load(options.Value.ResolveModelsFile());
            var entry = catalog.Find(options.Value.Model ?? catalog.Default);
            group = entry.ConsumerGroup;
            registry.MarkLoading(group);
            var path = await resolver.ResolveAsync(entry, options.Value.ModelsDir, stoppingToken);
            LogLoading(_logger, entry.Name, path);
            var model = LoadedModel.Load(entry, path, metrics, time, loggers);
            registry.Add(model);
            LogReady(_logger, entry.Name, entry.ConsumerGroup, model.Device, model.NativeLibrary,
                entry.MaxBatchSize, entry.ContextSize);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            if (group is not null)
                registry.LoadFailed(group);
            LogLoadFailed(_logger, e, e.Message);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Loading model '{Model}' from {Path}")]
    private static partial void LogLoading(ILogger logger, string model, string path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Model '{Model}' ready for consumer group '{Group}' on {Device} ({Native}); {Slots} slots of {Context} tokens")]
    private static partial void LogReady(ILogger logger, string model, string group, ComputeDevice device, string native,
        int slots, int context);

    [LoggerMessage(EventId = 3, Level = LogLevel.Critical, Message = "The model could not be loaded: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, Exception error, string reason);
}
