using System.Text;
using Takeoff.Engine.Models;
using Takeoff.Engine.Readers;

namespace Takeoff.Engine.Generation;

/// <summary>The engine's front door: routes a request to the least-loaded reader of its consumer group and streams or collects the text.</summary>
public sealed class TextGenerator(ReaderRegistry registry)
{
    /// <summary>Validates and queues at once (refusals throw here); tokens then arrive as they are sampled.</summary>
    public IAsyncEnumerable<TokenPiece> Stream(GenerationRequest request, CancellationToken cancellation) =>
        registry.Route(request.ConsumerGroup, ModelType.Causal).Generate(request, cancellation);

    /// <summary>
    /// Queues every request before awaiting any, so that they decode together; answers in input order.
    /// If one is refused, those already queued are cancelled.
    /// </summary>
    public async Task<IReadOnlyList<GenerationResult>> CompleteAllAsync(IReadOnlyList<GenerationRequest> requests,
        CancellationToken cancellation)
    {
        using var all = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        try
        {
            var streams = requests.Select(r => Stream(r, all.Token)).ToArray();
            return await Task.WhenAll(streams.Select(CollectAsync));
        }
        catch
        {
            await all.CancelAsync();
            throw;
        }
    }

    private static async Task<GenerationResult> CollectAsync(IAsyncEnumerable<TokenPiece> pieces)
    {
        var text = new StringBuilder();
        GenerationSummary? summary = null;
        await foreach (var piece in pieces)
        {
            text.Append(piece.Text);
            summary = piece.Summary ?? summary;
        }
        return new GenerationResult(text.ToString(),
            summary ?? throw new InvalidOperationException("The generation ended without a summary."));
    }
}
