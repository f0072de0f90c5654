using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Takeoff.Engine.Diagnostics;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Hosting;
using Takeoff.Engine.Models;
using Takeoff.Engine.Native;
using Takeoff.Engine.Quantization;
using Takeoff.Engine.Scheduling;
using Takeoff.Engine.Sampling;

namespace Takeoff.Engine.Readers;

/// <summary>
/// Starts and stops readers. A reader is registered at once and loads in the background; a failed load, or a part
/// of it that crashes later, leaves it dead with its error. Stopping takes it out of routing first, then drains it
/// and frees its native memory. At shutdown every reader drains together.
/// </summary>
internal sealed partial class ReaderManager : IAsyncDisposable
{
    private readonly EngineOptions _options;
    private readonly ReaderRegistry _registry;
    private readonly ModelFileResolver _resolver;
    private readonly ModelQuantizer _quantizer;
    private readonly IDecoderFactory _decoders;
    private readonly EngineMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Lazy<ModelCatalog> _catalog;
    private static readonly TimeSpan HeaderReadTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Beyond the grace period, how long DELETE waits for a reader's memory to be freed before it answers anyway.</summary>
    private static readonly TimeSpan FreeingTimeout = TimeSpan.FromSeconds(10);

    private int _started;

    public ReaderManager(IOptions<EngineOptions> options, ReaderRegistry registry, ModelFileResolver resolver,
        ModelQuantizer quantizer, IDecoderFactory decoders, EngineMetrics metrics, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options.Value;
        _registry = registry;
        _resolver = resolver;
        _quantizer = quantizer;
        _decoders = decoders;
        _metrics = metrics;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ReaderManager>();
        _catalog = new Lazy<ModelCatalog>(() => ModelCatalog.Load(_options.ResolveModelsFile()));
        ReaderGauges.Register(metrics.Meter, registry);
    }

    /// <summary>models.json, read on first use.</summary>
    public ModelCatalog Catalog => _catalog.Value;

    /// <summary>Starts a reader for a models.json entry or a .gguf file inside the models directory (see <see cref="ModelSource"/>).</summary>
    public Reader Start(string modelName, ReaderOverrides overrides)
    {
        var entry = overrides.ApplyTo(ModelSource.Resolve(modelName, Catalog, _options.ModelsDir));
        if (NativeLimits.Check(entry) is { } limit)
            throw EngineException.Invalid(limit.Input, limit.Problem);
        CheckQuantization(entry);
        return Start(entry, boot: false);
    }

    /// <summary>Refuses at once what the load would die of: an unknown type, or requantizing a file that is here to tell.</summary>
    private void CheckQuantization(ModelEntry entry)
    {
        if (KvCacheTypes.Problem(entry.KvCacheType) is { } kvProblem)
            throw EngineException.Invalid(EngineInput.KvCacheType, kvProblem);
        if (entry.Quantize is not { } quantize)
            return;
        if (WeightTypes.Problem(quantize) is { } problem)
            throw EngineException.Invalid(EngineInput.Quantize, problem);
        var path = Path.GetFullPath(Path.Combine(_options.ModelsDir, entry.File));
        if (!File.Exists(path))
            return;
        // Off the request thread and bounded: a file system that stalls (a hung network mount) must not hold the call.
        var read = Task.Run(() => _quantizer.RefuseRequantizing(entry, path));
        try
        {
            if (!read.Wait(HeaderReadTimeout))
                throw EngineException.Invalid(EngineInput.Quantize,
                    $"The header of '{entry.File}' could not be read within {HeaderReadTimeout.TotalSeconds:0} s.");
        }
        catch (AggregateException failed) when (failed.InnerException is ModelFileException refused)
        {
            throw EngineException.Invalid(EngineInput.Quantize, refused.Message);
        }
    }

    /// <param name="boot">Started with the server: its consumer group must be served for the server to be ready.</param>
    public Reader Start(ModelEntry entry, bool boot)
    {
        if (_registry.ShuttingDown)
            throw new EngineException(EngineError.NotReady, "The server is shutting down.");
        var reader = new Reader(NewId(entry.Name), entry, boot);
        reader.Changed += Changed;
        _registry.Add(reader);
        _ = reader.StartAsync(cancellation => LoadAsync(reader, cancellation));
        return reader;
    }

    /// <summary>
    /// Removes a reader: out of routing at once, running requests get the grace period to finish, then its
    /// memory is freed (answered after at most the grace period and ten seconds more). Returns false for an unknown id.
    /// </summary>
    public async Task<bool> StopAsync(string readerId)
    {
        var reader = _registry.Remove(readerId);
        if (reader is null)
            return false;
        var grace = TimeSpan.FromSeconds(_options.ReaderStopGraceSeconds);
        // Out of routing already; the caller is answered even if freeing hangs (a load stuck in a file read).
        await Task.WhenAny(StopAsync(reader, grace), Task.Delay(grace + FreeingTimeout, _time));
        return true;
    }

    /// <summary>
    /// The server is stopping: new requests are refused at once, every reader gets <paramref name="grace"/> to finish
    /// what it runs, what is left ends early (cleanly, as stopped) and native memory is freed. The readers stay
    /// listed, as draining, until they are freed.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan grace)
    {
        _registry.BeginShutdown();
        var readers = _registry.Readers;
        // Every reader starts draining at once (StopAsync moves it before its first wait); a DELETE meanwhile joins the same stop.
        await Task.WhenAll(readers.Select(reader => StopAsync(reader, grace)));
        foreach (var reader in readers)
            _registry.Remove(reader.Id);
    }

    private static Task StopAsync(Reader reader, TimeSpan grace) => reader.StopAsync(grace);

    /// <summary>A reader's change of state, told once each (a reader stopped by both a DELETE and the shutdown is logged once).</summary>
    private void Changed(Reader reader, ReaderState state)
    {
        if (state == ReaderState.Ready && reader.Model is { } model)
            LogReady(_logger, reader.Id, reader.Entry.Name, reader.Entry.ModelType, reader.Entry.ConsumerGroup, model.Device,
                model.NativeLibrary, reader.Entry.MaxBatchSize, reader.Entry.ContextSize);
        else if (state == ReaderState.Stopped)
            LogStopped(_logger, reader.Id);
    }

    /// <summary>The reader's load: find (or download) the file, quantize it if asked, load it. Failures are logged here; the reader dies of them.</summary>
    private async Task<LoadedModel> LoadAsync(Reader reader, CancellationToken cancellation)
    {
        var entry = reader.Entry;
        try
        {
            var path = await _resolver.ResolveAsync(entry, _options.ModelsDir, cancellation);
            if (entry.Quantize is not null)
                path = await _quantizer.QuantizedAsync(entry, path, _options.ModelsDir, cancellation);
            LogLoading(_logger, reader.Id, entry.Name, path);
            var telemetry = new ReaderTelemetry(_metrics, reader.Id, entry.ConsumerGroup, entry.Name, _loggers.CreateLogger<ReaderTelemetry>());
            return ModelLoader.Load(entry, path, Path.GetFullPath(_options.ModelsDir), _decoders, telemetry, PolicyOf(_options), _time, _loggers, error => Crashed(reader, error));
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw;
        }
        catch (ModelFileException e)
        {
            // Expected (a missing file, no network): the message says what to do; the stack only helps at Debug.
            LogModelFileMissing(_logger, reader.Id, e.Message);
            LogLoadFailedDetail(_logger, e, reader.Id);
            throw;
        }
        catch (Exception e)
        {
            LogLoadFailed(_logger, e, reader.Id, e.Message);
            throw;
        }
    }

    private void Crashed(Reader reader, Exception error)
    {
        reader.Failed(error.Message);
        LogCrashed(_logger, error, reader.Id, error.Message);
    }

    /// <summary>How long a request may hold the server, the same for every reader.</summary>
    private static RequestPolicy PolicyOf(EngineOptions options) => new(
        options.RequestTimeoutSeconds > 0 ? TimeSpan.FromSeconds(options.RequestTimeoutSeconds) : null,
        options.TimeSliceSeconds > 0 ? TimeSpan.FromSeconds(options.TimeSliceSeconds) : null,
        GrammarBudget.PerTokenMilliseconds(options.GrammarMillisecondsPerToken));

    /// <summary>Readable and unique: the model name (URL-safe) and a sequence number.</summary>
    private string NewId(string modelName)
    {
        var safe = new string(modelName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? c : '-').ToArray());
        return $"{safe}-{Interlocked.Increment(ref _started)}";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var reader in _registry.Readers)
        {
            _registry.Remove(reader.Id);
            await reader.StopAsync(TimeSpan.Zero);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Reader {Reader}: loading '{Model}' from {Path}")]
    private static partial void LogLoading(ILogger logger, string reader, string model, string path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Reader {Reader}: '{Model}' ({Type}) ready for consumer group '{Group}' on {Device} ({Native}); {Slots} slots of {Context} tokens")]
    private static partial void LogReady(ILogger logger, string reader, string model, ModelType type, string group,
        ComputeDevice device, string native, int slots, int context);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Reader {Reader} is dead: its model could not be loaded: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, Exception error, string reader, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Reader {Reader} is dead: {Reason}")]
    private static partial void LogModelFileMissing(ILogger logger, string reader, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Reader {Reader}: why its model file could not be had")]
    private static partial void LogLoadFailedDetail(ILogger logger, Exception error, string reader);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Reader {Reader} stopped and freed")]
    private static partial void LogStopped(ILogger logger, string reader);

    [LoggerMessage(EventId = 5, Level = LogLevel.Critical,
        Message = "Reader {Reader} is dead: {Reason}. Its group is routed to its other readers; remove it and start it again")]
    private static partial void LogCrashed(ILogger logger, Exception error, string reader, string reason);
}
