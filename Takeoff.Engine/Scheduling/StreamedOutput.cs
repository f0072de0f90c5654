using System.Threading.Channels;
using Takeoff.Engine.Generation;

namespace Takeoff.Engine.Scheduling;

/// <summary>An output read chunk by chunk as the choices are sampled, for callers that stream.</summary>
internal sealed class StreamedOutput(int sequences, CancellationToken caller) : GenerationOutput(sequences, caller)
{
    private readonly Channel<GenerationChunk> _chunks =
        Channel.CreateUnbounded<GenerationChunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public ChannelReader<GenerationChunk> Reader => _chunks.Reader;

    protected override void Deliver(GenerationChunk chunk) => _chunks.Writer.TryWrite(chunk);

    protected override void Complete() => _chunks.Writer.TryComplete();

    protected override void CompleteWith(Exception error) => _chunks.Writer.TryComplete(error);
}
