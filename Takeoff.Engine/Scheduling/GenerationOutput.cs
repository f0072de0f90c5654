using System.Threading.Channels;
using Takeoff.Engine.Generation;

namespace Takeoff.Engine.Scheduling;

/// <summary>
/// Where the sequences of one generation (its prompts × choices) write their chunks, and what the caller reads.
/// It completes when the last choice has finished, or at once when one fails or the caller goes away; a failure
/// also cancels the siblings, so their slots are freed at the next step.
/// </summary>
internal sealed class GenerationOutput
{
    private readonly Channel<GenerationChunk> _chunks =
        Channel.CreateUnbounded<GenerationChunk>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _cancellation;
    private int _running;
    private int _alive;

    public GenerationOutput(int sequences, CancellationToken caller)
    {
        _running = sequences;
        _alive = sequences;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(caller);
        Cancellation = _cancellation.Token;
    }

    /// <summary>Cancelled when the caller goes away or a sibling failed: every sequence of this generation stops.</summary>
    public CancellationToken Cancellation { get; }

    public ChannelReader<GenerationChunk> Reader => _chunks.Reader;

    public void Write(GenerationChunk chunk) => _chunks.Writer.TryWrite(chunk);

    /// <summary>One choice has written its last chunk; the output completes with the last one.</summary>
    public void Finished()
    {
        if (Interlocked.Decrement(ref _running) == 0)
            _chunks.Writer.TryComplete();
    }

    public void Fail(Exception error)
    {
        _chunks.Writer.TryComplete(error);
        Cancel();
    }

    /// <summary>A sequence was dropped before it finished: the caller will not get a whole answer, so none at all.</summary>
    public void Abandon()
    {
        _chunks.Writer.TryComplete(new OperationCanceledException(Cancellation));
        Cancel();
    }

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

    /// <summary>One sequence has left the scheduler; the last one out frees the cancellation source.</summary>
    public void Retired()
    {
        if (Interlocked.Decrement(ref _alive) == 0)
            _cancellation.Dispose();
    }
}
