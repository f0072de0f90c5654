using Takeoff.Engine.Generation;
using Takeoff.Engine.Models;

namespace Takeoff.Engine.Readers;

/// <summary>
/// One served model instance: its id, its effective configuration, and where it is in its life
/// (loading, ready, dead). The registry routes requests to ready readers.
/// </summary>
internal sealed class Reader(string id, ModelEntry entry)
{
    private volatile LoadedModel? _model;
    private volatile string? _error;

    public string Id { get; } = id;

    /// <summary>The configuration this reader runs with: its models.json entry plus the overrides it was started with.</summary>
    public ModelEntry Entry { get; } = entry;

    public ReaderState State => _model is not null ? ReaderState.Ready : _error is not null ? ReaderState.Dead : ReaderState.Loading;

    /// <summary>Why the load failed, for a dead reader.</summary>
    public string? Error => _error;

    /// <summary>The model, once ready.</summary>
    public LoadedModel? Model => _model;

    /// <summary>Requests running or waiting on this reader.</summary>
    public int Load => _model?.Pending ?? 0;

    /// <summary>Cancels a load still in progress when the reader is removed.</summary>
    public CancellationTokenSource Loading { get; } = new();

    /// <summary>The background load; completes (never throws) once the reader is ready, dead or abandoned.</summary>
    public Task LoadTask { get; set; } = Task.CompletedTask;

    public void Loaded(LoadedModel model) => _model = model;

    public void Failed(string error) => _error = error;

    /// <summary>The model, or why this reader cannot serve right now.</summary>
    public LoadedModel RequireModel() => State switch
    {
        ReaderState.Ready => _model!,
        ReaderState.Loading => throw new EngineException(EngineError.NotReady, $"Reader '{Id}' is still loading."),
        _ => throw new EngineException(EngineError.NotReady, $"Reader '{Id}' failed to load: {_error}"),
    };

    public ReaderSnapshot Snapshot()
    {
        var model = _model;
        return new ReaderSnapshot(Id, Entry, State, _error, model?.Device ?? Entry.Device,
            model?.ActiveSequences ?? 0, model?.QueuedRequests ?? 0);
    }
}
