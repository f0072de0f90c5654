using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Takeoff.Engine.Diagnostics;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Generation;

namespace Takeoff.Engine.Scheduling;

/// <summary>
/// Continuous batching over one llama.cpp context, on a thread of its own: the one owner of the native state. Each
/// step it admits waiting sequences into idle slots (reusing a slot's cached prefix), builds one batch of every
/// sequence's next token or prompt chunk, decodes it, and samples each sequence. Nothing else runs on that thread, so
/// a step is never delayed by the thread pool and never overlaps another.
/// </summary>
internal sealed partial class Scheduler : IAsyncDisposable
{
    private readonly IDecoder _decoder;
    private readonly Action<Exception> _crashed;
    private readonly SchedulerLimits _limits;
    private readonly ReaderTelemetry _telemetry;
    private readonly StepTimings _timings;
    private readonly string _modelName;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Sequence> _waiting;
    // Set when a sequence is queued; the idle loop sleeps on it without spinning (a spinning wait, as Task.Wait does,
    // holds one of a small machine's cores while the last answer is written and the next request is read). Not
    // disposed: it holds no kernel handle, and a Submit racing with shutdown may still set it.
    private readonly ManualResetEventSlim _queued = new(false, spinCount: 0);
    // In slot order (see QueueWork).
    private readonly List<Sequence> _active = [];
    private readonly Slot[] _slots;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _loop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _activeCount;
    private int _inFlight;
    private volatile bool _draining;
    private volatile bool _endRemaining;

    /// <param name="decoder">The shared context: batch, decode, logits, sampling; reset after a failed decode.</param>
    /// <param name="crashed">Told when the loop dies, so that the reader that owns this scheduler becomes dead.</param>
    public Scheduler(IDecoder decoder, SchedulerLimits limits, ReaderTelemetry telemetry, TimeProvider time,
        ILogger logger, Action<Exception> crashed)
    {
        _decoder = decoder;
        _crashed = crashed;
        _limits = limits;
        _modelName = telemetry.ModelName;
        _telemetry = telemetry;
        _timings = new StepTimings(telemetry.SchedulerMeter, telemetry.ReaderId);
        _time = time;
        _logger = logger;
        _slots = Enumerable.Range(0, limits.MaxBatchSize).Select(id => new Slot(id, decoder)).ToArray();
        // Bounded by the in-flight count in Submit, not by the channel: a request between arrival and admission
        // must not take a queue place while a slot is free.
        _waiting = Channel.CreateUnbounded<Sequence>();
        new Thread(Run) { IsBackground = true, Name = $"takeoff {telemetry.ReaderId}" }.Start();
    }

    /// <summary>Sequences currently holding a slot.</summary>
    public int ActiveCount => Volatile.Read(ref _activeCount);

    /// <summary>Requests waiting for a slot.</summary>
    public int QueuedCount => _waiting.Reader.Count;

    /// <summary>
    /// KV cells held by running sequences (one cell per token). An idle slot's cached prefix is not counted: like a
    /// freed block in a paged cache, it is overwritten as soon as a sequence needs the room. Read off the loop's
    /// thread for the metrics: each read is one int or reference, so a scrape sees at worst a step-old value.
    /// </summary>
    public int KvCellsInUse => _slots.Sum(slot => slot.Busy ? slot.Cached.Count : 0);

    /// <summary>
    /// Admits the sequences of one generation together, or refuses them all at once when they do not fit in the
    /// free slots and the queue; never blocks.
    /// </summary>
    public void Submit(IReadOnlyList<Sequence> sequences)
    {
        if (_draining || _loop.Task.IsCompleted)
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
            if (!_waiting.Writer.TryWrite(sequence))
                End(sequence, new Outcome.Refused(new EngineException(EngineError.NotReady, $"The scheduler of '{_modelName}' has stopped.")));
        }
        _queued.Set();
    }

    private void Run()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                // Before admission: a sequence about to be stopped is not worth a slot.
                if (_endRemaining)
                    StopAll();
                if (_limits.RequestTimeout is { } timeout)
                    StopExpired(timeout);
                Admit();
                // The one write of the count a step: every exit above and in the previous step's sampling is in it.
                Volatile.Write(ref _activeCount, _active.Count);
                if (_active.Count == 0)
                {
                    // Nothing to decode: sleep until a request arrives (or the scheduler stops, which throws). Reset before
                    // the look at the queue: a sequence queued after the look sets the event again.
                    _queued.Reset();
                    if (_waiting.Reader.Count == 0)
                        _queued.Wait(_stopping.Token);
                    continue;
                }

                var admitted = Stopwatch.GetTimestamp();
                QueueWork();
                var batched = Stopwatch.GetTimestamp();
                var status = _decoder.Decode();
                var decoded = Stopwatch.GetTimestamp();
                if (status is not null)
                {
                    RecoverFromFailedDecode(status);
                    continue;
                }
                SampleAll();
                _timings.Record(start, admitted, batched, decoded, Stopwatch.GetTimestamp(), _decoder.BatchTokens);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogLoopCrashed(_logger, e, _modelName);
            EndActive(new Outcome.Failed(new EngineException(EngineError.Failed, $"The scheduler of '{_modelName}' stopped: {e.Message}")));
            _crashed(e);
        }
        finally
        {
            _waiting.Writer.TryComplete();
            var shutdown = new EngineException(EngineError.NotReady, $"The scheduler of '{_modelName}' has stopped; retry to reach another reader.");
            EndActive(new Outcome.Failed(shutdown));
            EndWaiting(new Outcome.Refused(shutdown));
            Volatile.Write(ref _activeCount, 0);
            _loop.SetResult();
        }
    }

    /// <summary>Fills idle slots from the queue, each sequence into the idle slot whose cache serves it best.</summary>
    private void Admit()
    {
        EndCancelled();
        if (_limits.TimeSlice is { } slice)
            Preempt(slice);
        while (_active.Count < _limits.MaxBatchSize && _waiting.Reader.TryRead(out var sequence))
        {
            if (sequence.Cancellation.IsCancellationRequested)
            {
                End(sequence, Outcome.Cancel);
                continue;
            }
            if (sequence.Elapsed >= _limits.RequestTimeout)
            {
                End(sequence, Outcome.Stop);
                continue;
            }
            var (slot, reused) = SlotChooser.Choose(_slots, sequence.PromptIds, sequence.CachePrompt ? _limits.SlotSimilarity : double.PositiveInfinity);
            try
            {
                sequence.Start(slot, sequence.CachePrompt ? reused : 0, _decoder, _limits.ContextSize, _limits.Grammar);
            }
            catch (Exception e)
            {
                // Its sampler could not be made (the grammar was checked on arrival, so this is not expected): it alone fails.
                LogSequenceFailed(_logger, e, _modelName);
                End(sequence, new Outcome.Failed(e));
                continue;
            }
            _telemetry.Admitted(sequence.PromptRemaining);
            var at = _active.FindIndex(active => active.SlotId > slot.Id);
            _active.Insert(at < 0 ? _active.Count : at, sequence);
        }
    }

    /// <summary>
    /// When requests wait and every slot is taken, the sequences that have had a slot for <paramref name="slice"/> give it
    /// up and queue again behind them, longest-running first: a new request's first token never waits for another
    /// request's whole answer, however long the answers asked for. They resume where they were (see <see cref="Sequence.Yield"/>).
    /// </summary>
    private void Preempt(TimeSpan slice)
    {
        var waiting = QueuedCount;
        if (waiting == 0 || _active.Count < _limits.MaxBatchSize)
            return;
        var due = _active.Where(s => s.CanYield && s.TurnElapsed >= slice).OrderByDescending(s => s.TurnElapsed).Take(waiting).ToArray();
        foreach (var sequence in due)
        {
            _active.Remove(sequence);
            sequence.Yield();
            // One queue in arrival order: a sequence that yielded waits its turn behind the requests already waiting,
            // and none waits for ever (a queue of its own, served after new requests, starved under steady load).
            // The channel is completed only when the loop ends, so the write cannot be refused here.
            _waiting.Writer.TryWrite(sequence);
        }
        if (due.Length > 0)
            LogPreempted(_logger, _modelName, due.Length, waiting);
    }

    /// <summary>Frees the slots of clients that went away, so that they serve the next request at once.</summary>
    private void EndCancelled()
    {
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            var sequence = _active[i];
            if (!sequence.Cancellation.IsCancellationRequested)
                continue;
            _active.RemoveAt(i);
            End(sequence, Outcome.Cancel);
            LogCancelled(_logger, _modelName, sequence.GeneratedCount);
        }
    }

    /// <summary>
    /// Decoding sequences add their sampled token; prefilling ones share what is left of the batch, capped so that a
    /// long prompt never stalls the running streams for more than one chunk (with no stream running, the whole batch
    /// is theirs). The shortest prompts get their share first: a prompt mostly found in the cache starts answering at
    /// once instead of waiting behind another request's long prefill.
    /// The batch is written in slot order, each sequence's tokens together: over per-sequence KV, llama.cpp splits a
    /// batch into passes through the model, each a run of consecutive sequence ids in batch order, so 16 sequences
    /// in admission order took up to 16 passes (a step 2.2x as long as one pass for all, measured on both benchmark
    /// models; `SlotChooser` keeps the busy slots next to each other for the same reason).
    /// </summary>
    private void QueueWork()
    {
        _decoder.ClearBatch();
        var decoding = 0;
        foreach (var sequence in _active)
            decoding += sequence.HasSampledToken ? 1 : 0;
        var room = _decoder.BatchCapacity - decoding;
        var budget = decoding == 0 ? room : Math.Min(_limits.PrefillChunk, room);
        foreach (var sequence in _active.Where(s => s.PromptRemaining > 0).OrderBy(s => s.PromptRemaining))
            budget -= sequence.PlanPrefill(Math.Max(0, budget));
        foreach (var sequence in _active)
        {
            if (sequence.PromptRemaining == 0)
                sequence.QueueSampled();
            else
                sequence.QueuePlannedPrompt();
        }
    }

    private void SampleAll()
    {
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            var sequence = _active[i];
            // A client that left is not sampled for (its grammar may be the expensive part); the next step retires it.
            if (!sequence.ReadyToSample || sequence.Cancellation.IsCancellationRequested)
                continue;
            Outcome outcome;
            try
            {
                if (sequence.Step(_decoder, _limits.ContextSize) is not { } summary)
                    continue;
                outcome = new Outcome.Finished(summary);
            }
            catch (Exception e)
            {
                LogSequenceFailed(_logger, e, _modelName);
                outcome = new Outcome.Failed(e);
            }
            _active.RemoveAt(i);
            End(sequence, outcome);
        }
    }

    /// <summary>
    /// The failed batch leaves the cache in an unknown state and its sequences are about to be gone: fail them and
    /// start over with a fresh context (and empty slots), so the requests that come next are not poisoned by it.
    /// </summary>
    private void RecoverFromFailedDecode(string status)
    {
        LogDecodeFailed(_logger, _modelName, status);
        EndActive(new Outcome.Failed(new EngineException(EngineError.Failed, $"llama.cpp could not decode this step ({status}); the request did not complete. Retry it.")));
        foreach (var slot in _slots)
            slot.Forget();
        _decoder.Reset();
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
        Waiting.UntilAsync(() => Volatile.Read(ref _inFlight) == 0 || _loop.Task.IsCompleted, limit, _time);

    /// <summary>Ends the running requests that are past the server's deadline, cleanly, as stopped (waiting ones at admission).</summary>
    private void StopExpired(TimeSpan timeout)
    {
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            if (_active[i].Elapsed < timeout)
                continue;
            var sequence = _active[i];
            _active.RemoveAt(i);
            End(sequence, Outcome.Stop);
        }
    }

    private void StopAll()
    {
        EndActive(Outcome.Stop);
        EndWaiting(Outcome.Stop);
    }

    /// <summary>Ends every running sequence with <paramref name="outcome"/>.</summary>
    private void EndActive(Outcome outcome)
    {
        foreach (var sequence in _active)
            End(sequence, outcome);
        _active.Clear();
    }

    /// <summary>Ends every sequence still waiting for a slot with <paramref name="outcome"/>.</summary>
    private void EndWaiting(Outcome outcome)
    {
        while (_waiting.Reader.TryRead(out var sequence))
            End(sequence, outcome);
    }

    /// <summary>
    /// The one way out of the scheduler: gives its place in the budget back, reports the sequence, gives its slot back
    /// (its cache stays) and tells the client, in that order. The caller has taken it out of the running list.
    /// </summary>
    private void End(Sequence sequence, Outcome outcome)
    {
        // First: a client told its answer is over (here or in Dispose) may send its next one at once.
        Interlocked.Decrement(ref _inFlight);
        switch (outcome)
        {
            case Outcome.Finished finished:
                _telemetry.Finished(sequence.RequestId, sequence.Choice, finished.Summary);
                break;
            case Outcome.Stopped:
                _telemetry.Finished(sequence.RequestId, sequence.Choice, sequence.Stop());
                break;
            case Outcome.Cancelled:
                Report(sequence, "cancelled");
                break;
            case Outcome.Failed failed:
                sequence.Fail(failed.Error);
                Report(sequence, "failed");
                break;
            case Outcome.Refused refused:
                sequence.Fail(refused.Error);
                break;
        }
        sequence.Dispose();
    }

    /// <summary>Reports a sequence that ended without a summary of its own.</summary>
    private void Report(Sequence sequence, string outcome) => _telemetry.Ended(sequence.RequestId, sequence.Choice, outcome,
        sequence.PromptTokens, sequence.GeneratedCount, sequence.Elapsed);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            // A step stuck in native code (one llama.cpp call cannot be interrupted) must not keep the process from
            // ending: the loop thread is a background thread, and its context is left to it rather than freed under it.
            await _loop.Task.WaitAsync(LoopExitWait, _time);
        }
        catch (TimeoutException)
        {
            // Nothing the loop may still touch is disposed under it.
            LogLoopStuck(_logger, _modelName, LoopExitWait.TotalSeconds);
            return;
        }
        _decoder.Dispose();
        _stopping.Dispose();
    }

    /// <summary>
    /// How long disposal waits for the loop's current step to end: with the drain's 10 s, this stays inside the
    /// host's shutdown timeout (grace + 15 s).
    /// </summary>
    private static readonly TimeSpan LoopExitWait = TimeSpan.FromSeconds(3);

    [LoggerMessage(EventId = 304, Level = LogLevel.Error, Message = "'{Model}': the scheduler loop did not stop within {Seconds} s (a native call still running); its context is left to it")]
    private static partial void LogLoopStuck(ILogger logger, string model, double seconds);

    [LoggerMessage(EventId = 300, Level = LogLevel.Critical, Message = "The scheduler loop of '{Model}' crashed")]
    private static partial void LogLoopCrashed(ILogger logger, Exception error, string model);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "A sequence of '{Model}' failed; the others go on")]
    private static partial void LogSequenceFailed(ILogger logger, Exception error, string model);

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "'{Model}': llama_decode failed ({Status}); active requests failed, context recreated")]
    private static partial void LogDecodeFailed(ILogger logger, string model, string status);

    [LoggerMessage(EventId = 304, Level = LogLevel.Debug, Message = "'{Model}': {Count} sequences gave their slots up to {Waiting} waiting")]
    private static partial void LogPreempted(ILogger logger, string model, int count, int waiting);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "'{Model}': client went away after {Tokens} tokens; slot freed")]
    private static partial void LogCancelled(ILogger logger, string model, int tokens);
}
