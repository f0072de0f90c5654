using Takeoff.Engine.Generation;

namespace Takeoff.Engine.Scheduling;

/// <summary>
/// Where the sequences of one generation (its prompts × choices) hand their chunks. It ends when the last choice has
/// finished, or at once when one fails or the caller goes away; a failure also cancels the siblings, so their slots
/// are freed at the next step. Streamed to the caller as chunks come, or collected until the end.
/// </summary>
internal abstract class GenerationOutput
{
    private readonly CancellationTokenSource _cancellation;
    private readonly UsageTally _usage = new();
    private readonly int _sequences;
    private int _running;
    private int _alive;

    protected GenerationOutput(int sequences, CancellationToken caller)
    {
        _sequences = sequences;
        _running = sequences;
        _alive = sequences;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(caller);
        Cancellation = _cancellation.Token;
    }

    /// <summary>Cancelled when the caller goes away or a sibling failed: every sequence of this generation stops.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>
    /// Called on the scheduler's loop only. Counts each finished choice into the request's usage; the chunk that finishes
    /// the last choice is the request's last, and carries the usage.
    /// </summary>
    public void Write(GenerationChunk chunk)
    {
        if (chunk.Summary is { } summary)
        {
            _usage.Add(chunk.Prompt, chunk.Choice, summary);
            if (_usage.Finished == _sequences)
                chunk = chunk with { Usage = _usage.Usage() };
        }
        Deliver(chunk);
    }

    /// <summary>Hands a chunk to the caller (on the scheduler's loop).</summary>
    protected abstract void Deliver(GenerationChunk chunk);

    /// <summary>One choice has written its last chunk; the output completes with the last one.</summary>
    public void Finished()
    {
        if (Interlocked.Decrement(ref _running) == 0)
            Complete();
    }

    public void Fail(Exception error)
    {
        CompleteWith(error);
        Cancel();
    }

    /// <summary>A sequence was dropped before it finished: the caller will not get a whole answer, so none at all.</summary>
    public void Abandon()
    {
        CompleteWith(new OperationCanceledException(Cancellation));
        Cancel();
    }

    /// <summary>One sequence has left the scheduler; the last one out frees the cancellation source.</summary>
    public void Retired()
    {
        if (Interlocked.Decrement(ref _alive) == 0)
            _cancellation.Dispose();
    }

    protected abstract void Complete();

    /// <summary>Ends the output with <paramref name="error"/>, unless it has ended already.</summary>
    protected abstract void CompleteWith(Exception error);

    private void Cancel()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
