using Takeoff.Engine.Errors;
using Takeoff.Engine.Scheduling;

namespace Takeoff.Engine.Readers;

/// <summary>
/// The gate between requests and a model's native memory. A request can be routed to a model an instant before its
/// reader is removed: each call holds a lease while it runs, and the memory is freed only once every lease has ended;
/// after <see cref="CloseAsync"/> new calls are refused (503) instead of running on freed memory.
/// </summary>
internal sealed class ModelLease(string modelName, TimeProvider time)
{
    private int _callers;
    private int _closed;

    public T Use<T>(Func<T> work)
    {
        Enter();
        try
        {
            return work();
        }
        finally
        {
            Interlocked.Decrement(ref _callers);
        }
    }

    public async Task<T> UseAsync<T>(Func<Task<T>> work)
    {
        Enter();
        try
        {
            return await work();
        }
        finally
        {
            Interlocked.Decrement(ref _callers);
        }
    }

    /// <summary>Refuses new calls, then waits for the ones in progress to end.</summary>
    public Task CloseAsync()
    {
        // Interlocked on both sides: either a caller sees the flag and backs out, or this sees the caller and waits.
        Interlocked.Exchange(ref _closed, 1);
        return Waiting.UntilAsync(() => Volatile.Read(ref _callers) == 0, TimeSpan.MaxValue, time);
    }

    private void Enter()
    {
        Interlocked.Increment(ref _callers);
        if (Volatile.Read(ref _closed) == 0)
            return;
        Interlocked.Decrement(ref _callers);
        throw new EngineException(EngineError.NotReady, $"The reader of '{modelName}' was removed; retry to reach another.");
    }
}
