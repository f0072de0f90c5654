using Takeoff.Engine.Errors;
using Takeoff.Engine.Models;

namespace Takeoff.Engine.Readers;

/// <summary>
/// One served model instance: its id, its effective configuration, and the one owner of where it is in its life.
/// It loads itself (<see cref="StartAsync"/>), stops itself once however often it is told to (<see cref="StopAsync"/>),
/// and moves loading → ready → draining → stopped, or to dead from any of the first three; each change is reported
/// once, to <see cref="Changed"/>. The parts below it (the load, the scheduler loop, the embedder) report to it; the
/// registry rebuilds its routing table on each change, and routes requests to ready readers only.
/// </summary>
internal sealed class Reader(string id, ModelEntry entry, bool boot)
{
    private readonly Lock _gate = new();
    // Cancels the load in progress; set only while it runs, and called only under the lock, so never after its source is disposed.
    private Action? _cancelLoad;
    private ReaderState _state = ReaderState.Loading;
    private LoadedModel? _model;
    private string? _error;
    private Task _loaded = Task.CompletedTask;
    private TaskCompletionSource? _stopped;

    public string Id { get; } = id;

    /// <summary>Told of each change of state, once, after it happened (never under the reader's lock).</summary>
    public event Action<Reader, ReaderState>? Changed;

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

    /// <summary>The model once loaded; it stays set after a crash, so that stopping the reader frees it.</summary>
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

    /// <summary>
    /// Loads the model in the background with <paramref name="load"/> (given the reader's cancellation, which
    /// <see cref="StopAsync"/> triggers). Ready when it returns, dead with its message when it throws. The task
    /// completes, never faulting, once the reader is ready, dead or abandoned.
    /// </summary>
    public Task StartAsync(Func<CancellationToken, Task<LoadedModel>> load)
    {
        lock (_gate)
        {
            if (_state != ReaderState.Loading || !_loaded.IsCompleted || _stopped is not null)
                throw new InvalidOperationException($"Reader '{Id}' was started already.");
            return _loaded = Task.Run(() => LoadAsync(load));
        }
    }

    private async Task LoadAsync(Func<CancellationToken, Task<LoadedModel>> load)
    {
        using var cancellation = new CancellationTokenSource();
        lock (_gate)
        {
            if (_stopped is not null)
                return;
            _cancelLoad = cancellation.Cancel;
        }
        LoadedModel model;
        try
        {
            model = await load(cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            Failed(e.Message);
            return;
        }
        finally
        {
            lock (_gate)
                _cancelLoad = null;
        }
        // Told to stop (or dead) meanwhile: the model was never handed out, so it is freed here.
        if (!Loaded(model))
            await model.DisposeAsync();
    }

    private bool Loaded(LoadedModel model)
    {
        lock (_gate)
        {
            if (_state != ReaderState.Loading)
                return false;
            _model = model;
        }
        return Move([ReaderState.Loading], ReaderState.Ready);
    }

    /// <summary>The load failed or a part of the reader crashed: it is dead, with the first error that killed it.</summary>
    public void Failed(string error)
    {
        lock (_gate)
            _error ??= error;
        Move([ReaderState.Loading, ReaderState.Ready, ReaderState.Draining], ReaderState.Dead);
    }

    /// <summary>
    /// Takes nothing new, lets what runs finish for up to <paramref name="grace"/>, then frees the model: draining,
    /// then stopped (a dead reader stays dead). Idempotent: every call gets the one stop's task, whatever its grace.
    /// </summary>
    public Task StopAsync(TimeSpan grace)
    {
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_stopped is not null)
                return _stopped.Task;
            _stopped = mine;
        }
        _ = StopOnceAsync(grace, mine);
        return mine.Task;
    }

    private async Task StopOnceAsync(TimeSpan grace, TaskCompletionSource done)
    {
        try
        {
            Move([ReaderState.Loading, ReaderState.Ready], ReaderState.Draining);
            lock (_gate)
                _cancelLoad?.Invoke();
            await _loaded;
            if (Model is { } model)
            {
                await model.DrainAsync(grace);
                await model.DisposeAsync();
            }
            Move([ReaderState.Draining], ReaderState.Stopped);
            done.SetResult();
        }
        catch (Exception e)
        {
            done.SetException(e);
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
                ReaderState.Draining or ReaderState.Stopped => throw new EngineException(EngineError.NotReady, $"Reader '{Id}' is shutting down."),
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

    /// <summary>Moves to <paramref name="to"/> when the reader is in one of <paramref name="from"/>; reports it once, outside the lock.</summary>
    private bool Move(ReadOnlySpan<ReaderState> from, ReaderState to)
    {
        lock (_gate)
        {
            if (!from.Contains(_state))
                return false;
            _state = to;
        }
        Changed?.Invoke(this, to);
        return true;
    }
}
