using System.Threading.Channels;
using LLama.Batched;
using LLama.Native;
using Microsoft.Extensions.Logging;
using Takeoff.Engine.Diagnostics;
using Takeoff.Engine.Generation;

namespace Takeoff.Engine.Scheduling;

/// <summary>
/// Continuous batching over one llama.cpp context. A single loop owns the native state: each step it admits
/// waiting requests into free slots, queues prompt chunks, decodes every active sequence together, then
/// samples each one. Sequences wait in a queue bounded by the admission budget and write to their generation's output.
/// </summary>
internal sealed partial class Scheduler : IAsyncDisposable
{
    private readonly IDecoder _decoder;
    private readonly Action<Exception> _crashed;
    private BatchedExecutor _executor;
    private readonly SchedulerLimits _limits;
    private readonly TimeProvider _time;
    private readonly ReaderTelemetry _telemetry;
    private readonly string _modelName;
    private readonly ILogger _logger;
    private readonly Channel<Sequence> _waiting;
    private readonly List<Sequence> _active = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _activeCount;
    private int _inFlight;
    private volatile bool _draining;
    private volatile bool _endRemaining;

    /// <param name="decoder">Makes the shared context (again after a failed decode) and decodes each step.</param>
    /// <param name="crashed">Told when the loop dies, so that the reader that owns this scheduler becomes dead.</param>
    public Scheduler(IDecoder decoder, SchedulerLimits limits, ReaderTelemetry telemetry, TimeProvider time,
        ILogger logger, Action<Exception> crashed)
    {
        _decoder = decoder;
        _crashed = crashed;
        _executor = decoder.CreateExecutor();
        _limits = limits;
        _modelName = telemetry.ModelName;
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
        // Bounded by the in-flight count in Submit, not by the channel: a request between arrival and admission
        // must not take a queue place while a slot is free.
        _waiting = Channel.CreateUnbounded<Sequence>();
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Sequences currently holding a slot.</summary>
    public int ActiveCount => Volatile.Read(ref _activeCount);

    /// <summary>Requests waiting for a slot.</summary>
    public int QueuedCount => _waiting.Reader.Count;

    /// <summary>
    /// Admits the sequences of one generation together, or refuses them all at once when they do not fit in the
    /// free slots and the queue; never blocks.
    /// </summary>
    public void Submit(IReadOnlyList<Sequence> sequences)
    {
        if (_draining || _loop.IsCompleted)
            throw new EngineException(EngineError.NotReady, $"The reader of '{_modelName}' is shutting down.");
        if (Interlocked.Add(ref _inFlight, sequences.Count) > _limits.MaxBatchSize + _limits.MaxQueue
            || _stopping.IsCancellationRequested)
        {
            Interlocked.Add(ref _inFlight, -sequences.Count);
            _telemetry.Rejected(sequences.Count);
            throw new EngineException(EngineError.Overloaded,
                $"Model '{_modelName}' is at capacity ({_limits.MaxBatchSize} running, {_limits.MaxQueue} waiting); retry shortly.");
        }
        foreach (var sequence in sequences)
        {
            // The channel is unbounded and completed only when the loop ends: a refused write lost a race with shutdown.
            if (_waiting.Writer.TryWrite(sequence))
                continue;
            sequence.Fail(new EngineException(EngineError.NotReady, $"The scheduler of '{_modelName}' has stopped."));
            Retire(sequence);
        }
    }

    private async Task RunAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                // Before admission: a sequence about to be stopped is not worth a conversation.
                if (_endRemaining)
                    StopAll();
                if (_limits.RequestTimeout is { } timeout)
                    StopExpired(timeout);
                Admit();
                if (_active.Count == 0)
                {
                    await _waiting.Reader.WaitToReadAsync(_stopping.Token);
                    continue;
                }

                QueueWork();
                var status = await _decoder.DecodeAsync(_executor, _stopping.Token);
                if (status != DecodeResult.Ok)
                {
                    RecoverFromFailedDecode(status);
                    continue;
                }
                SampleAll();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogLoopCrashed(_logger, e, _modelName);
            FailAll(new EngineException(EngineError.Failed, $"The scheduler of '{_modelName}' stopped: {e.Message}"));
            _crashed(e);
        }
        finally
        {
            _waiting.Writer.TryComplete();
            var shutdown = new EngineException(EngineError.NotReady, $"The scheduler of '{_modelName}' has stopped; retry to reach another reader.");
            FailAll(shutdown);
            EndWaiting(sequence => sequence.Fail(shutdown));
        }
    }

    private void Admit()
    {
        RetireCancelled();
        while (_active.Count < _limits.MaxBatchSize && _waiting.Reader.TryRead(out var sequence))
        {
            if (sequence.Cancellation.IsCancellationRequested)
            {
                Retire(sequence);
                Ended(sequence, "cancelled");
                continue;
            }
            if (sequence.Elapsed >= _limits.RequestTimeout)
            {
                _telemetry.Finished(sequence.RequestId, sequence.Choice, sequence.Stop());
                Retire(sequence);
                continue;
            }
            sequence.Start(_executor, _limits.ContextSize);
            _telemetry.Admitted(sequence.PromptTokens);
            _active.Add(sequence);
        }
        Volatile.Write(ref _activeCount, _active.Count);
    }

    /// <summary>Frees the slots of clients that went away, so their KV cells are reused at once.</summary>
    private void RetireCancelled()
    {
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            var sequence = _active[i];
            if (!sequence.Cancellation.IsCancellationRequested)
                continue;
            _active.RemoveAt(i);
            Retire(sequence);
            Ended(sequence, "cancelled");
            LogCancelled(_logger, _modelName, sequence.GeneratedCount);
        }
    }

    /// <summary>
    /// Decoding sequences queue their sampled token; prefilling ones share what is left of the batch, capped so
    /// that a long prompt never stalls the running streams for more than one chunk. Runs after retirement and
    /// right before the decode: a token queued for a sequence that is then disposed would corrupt its reused id.
    /// </summary>
    private void QueueWork()
    {
        var decoding = 0;
        foreach (var sequence in _active.Where(s => s.PromptRemaining == 0))
        {
            sequence.QueueSampled();
            decoding++;
        }
        var budget = Math.Min(_limits.PrefillChunk, (int)_executor.Context.BatchSize - decoding);
        foreach (var sequence in _active)
        {
            if (budget <= 0)
                break;
            budget -= sequence.QueuePrompt(budget);
        }
    }

    private void SampleAll()
    {
        var vocabulary = _executor.Model.Vocab;
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            var sequence = _active[i];
            if (!sequence.ReadyToSample)
                continue;
            try
            {
                var summary = sequence.Step(vocabulary, _limits.ContextSize);
                if (summary is null)
                    continue;
                _telemetry.Finished(sequence.RequestId, sequence.Choice, summary);
            }
            catch (Exception e)
            {
                LogSequenceFailed(_logger, e, _modelName);
                sequence.Fail(e);
                Ended(sequence, "failed");
            }
            _active.RemoveAt(i);
            Retire(sequence);
        }
        Volatile.Write(ref _activeCount, _active.Count);
    }

    /// <summary>
    /// The executor keeps a failed batch queued for a retry, and its sequences are about to be gone: fail them
    /// and start over with a fresh context, so the requests that come next are not poisoned by it.
    /// </summary>
    private void RecoverFromFailedDecode(DecodeResult status)
    {
        LogDecodeFailed(_logger, _modelName, status);
        FailAll(new EngineException(EngineError.Failed, $"llama.cpp could not decode this step ({status}); the request did not complete. Retry it."));
        _executor.Dispose();
        _executor = _decoder.CreateExecutor();
    }

    /// <summary>
    /// Stops taking requests and lets the running ones finish for up to <paramref name="grace"/>; what is still
    /// running then ends early with <see cref="FinishReason.Stopped"/>, so every client gets a complete answer.
    /// </summary>
    public async Task DrainAsync(TimeSpan grace)
    {
        _draining = true;
        await WaitForIdleAsync(grace);
        _endRemaining = true;
        // The loop ends the rest at its next step, which is at most one decode away.
        await WaitForIdleAsync(TimeSpan.FromSeconds(10));
    }

    private Task WaitForIdleAsync(TimeSpan limit) =>
        Waiting.UntilAsync(() => Volatile.Read(ref _inFlight) == 0 || _loop.IsCompleted, limit, _time);

    /// <summary>Ends the running requests that are past the server's deadline, cleanly, as stopped (waiting ones at admission).</summary>
    private void StopExpired(TimeSpan timeout)
    {
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            if (_active[i].Elapsed < timeout)
                continue;
            var sequence = _active[i];
            _active.RemoveAt(i);
            _telemetry.Finished(sequence.RequestId, sequence.Choice, sequence.Stop());
            Retire(sequence);
        }
        Volatile.Write(ref _activeCount, _active.Count);
    }

    private void StopAll()
    {
        EndActive(Stop);
        EndWaiting(Stop);

        void Stop(Sequence sequence) => _telemetry.Finished(sequence.RequestId, sequence.Choice, sequence.Stop());
    }

    private void FailAll(Exception error) => EndActive(sequence =>
    {
        sequence.Fail(error);
        Ended(sequence, "failed");
    });

    /// <summary>Ends every running sequence with <paramref name="end"/> and frees its slot.</summary>
    private void EndActive(Action<Sequence> end)
    {
        foreach (var sequence in _active)
        {
            end(sequence);
            Retire(sequence);
        }
        _active.Clear();
        Volatile.Write(ref _activeCount, 0);
    }

    /// <summary>Ends every sequence still waiting for a slot with <paramref name="end"/>.</summary>
    private void EndWaiting(Action<Sequence> end)
    {
        while (_waiting.Reader.TryRead(out var sequence))
        {
            end(sequence);
            Retire(sequence);
        }
    }

    /// <summary>Reports a sequence that ended without a summary of its own.</summary>
    private void Ended(Sequence sequence, string outcome) => _telemetry.Ended(sequence.RequestId, sequence.Choice, outcome,
        sequence.PromptTokens, sequence.GeneratedCount, sequence.Elapsed);

    /// <summary>The one way out of the scheduler: frees the sequence's KV cells and its place in the budget.</summary>
    private void Retire(Sequence sequence)
    {
        sequence.Dispose();
        Interlocked.Decrement(ref _inFlight);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
        _executor.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Critical, Message = "The scheduler loop of '{Model}' crashed")]
    private static partial void LogLoopCrashed(ILogger logger, Exception error, string model);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "A sequence of '{Model}' failed; the others go on")]
    private static partial void LogSequenceFailed(ILogger logger, Exception error, string model);

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "'{Model}': llama_decode failed ({Status}); active requests failed, context recreated")]
    private static partial void LogDecodeFailed(ILogger logger, string model, DecodeResult status);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "'{Model}': client went away after {Tokens} tokens; slot freed")]
    private static partial void LogCancelled(ILogger logger, string model, int tokens);
}
