using Takeoff.Engine.Generation;
using Takeoff.Engine.Models;

namespace Takeoff.Engine.Readers;

/// <summary>
/// One served model instance: its id, its effective configuration, and the one owner of where it is in its life
/// (loading, ready, draining, dead). The parts below it (the load, the scheduler loop, the embedder) report to it;
/// the registry routes requests to ready readers only.
/// </summary>
internal sealed class Reader(string id, ModelEntry entry, bool boot)
{
    private readonly Lock _gate = new();
    private ReaderState _state = ReaderState.Loading;
    private LoadedModel? _model;
    private string? _error;

    public string Id { get; } = id;

    /// <summary>The configuration this reader runs with: its models.json entry plus the overrides it was started with.</summary>
    public ModelEntry Entry { get; } = entry;

    /// <summary>Started with the server: its consumer group counts for readiness.</summary>
    public bool Boot { get; } = boot;

    public ReaderState State
    {
        get
        {
            lock (_gate)
                return _state;
        }
    }

    /// <summary>The model once loaded; it stays set after a crash, so that removing the reader frees it.</summary>
    public LoadedModel? Model
    {
        get
        {
            lock (_gate)
                return _model;
        }
    }

    /// <summary>Requests running or waiting on this reader.</summary>
    public int Load => Model?.Pending ?? 0;

    /// <summary>Cancels a load still in progress when the reader is removed.</summary>
    public CancellationTokenSource Loading { get; } = new();

    /// <summary>The background load; completes (never throws) once the reader is ready, dead or abandoned.</summary>
    public Task LoadTask { get; set; } = Task.CompletedTask;

    /// <summary>The load finished. False when the reader was told to drain or died meanwhile: the caller frees the model.</summary>
    public bool Loaded(LoadedModel model)
    {
        lock (_gate)
        {
            if (_state != ReaderState.Loading)
                return false;
            _model = model;
            _state = ReaderState.Ready;
            return true;
        }
    }

    /// <summary>The load failed or a part of the reader crashed: it is dead, with the first error that killed it.</summary>
    public void Failed(string error)
    {
        lock (_gate)
        {
            _state = ReaderState.Dead;
            _error ??= error;
        }
    }

    /// <summary>The server is shutting down: finish what runs, take nothing new.</summary>
    public void Draining()
    {
        lock (_gate)
        {
            if (_state is ReaderState.Loading or ReaderState.Ready)
                _state = ReaderState.Draining;
        }
    }

    /// <summary>The model, or why this reader cannot serve right now.</summary>
    public LoadedModel RequireModel()
    {
        lock (_gate)
        {
            return _state switch
            {
                ReaderState.Ready => _model!,
                ReaderState.Loading => throw new EngineException(EngineError.NotReady, $"Reader '{Id}' is still loading."),
                ReaderState.Draining => throw new EngineException(EngineError.NotReady, $"Reader '{Id}' is shutting down."),
                _ => throw new EngineException(EngineError.NotReady, $"Reader '{Id}' is dead: {_error}"),
            };
        }
    }

    public ReaderSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new ReaderSnapshot(Id, Entry, _state, _error, _model?.Device ?? Entry.Device,
                _model?.ActiveSequences ?? 0, _model?.QueuedRequests ?? 0, _model?.Facts);
        }
    }
}
