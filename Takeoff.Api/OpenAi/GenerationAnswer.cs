using System.Runtime.CompilerServices;
using Takeoff.Engine.Generation;

namespace Takeoff.Api.OpenAi;

/// <summary>
/// What a /v1 generation endpoint writes for the engine's results: one whole <typeparamref name="TResponse"/>, or a stream
/// of <typeparamref name="TChunk"/>s. Both share the answer's id, time and model, its choices' finish reasons and its
/// usage, which the engine adds up (on the result, and on the stream's last chunk).
/// </summary>
/// <param name="prefix">The id prefix of the API's objects: "chatcmpl", "cmpl".</param>
public abstract class GenerationAnswer<TResponse, TChunk>(string prefix, TimeProvider time, OpenAiGenerationRequest request,
    GenerationRequest generation)
{
    private readonly bool _includeUsage = request.IncludeUsage;

    protected OpenAiAnswer Answer { get; } = OpenAiAnswer.Start(prefix, time, generation.Target);

    /// <summary>The request asked for each token's log-probability.</summary>
    protected bool Logprobs { get; } = generation.Logprobs is not null;

    public abstract TResponse Whole(GenerationResult result);

    /// <summary>Each engine chunk as the API's chunks, as it comes; with include_usage, a last chunk with the request's usage.</summary>
    public async IAsyncEnumerable<TChunk> Stream(IAsyncEnumerable<GenerationChunk> chunks,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        foreach (var first in Start())
            yield return first;
        await foreach (var chunk in chunks.WithCancellation(cancellation))
        {
            foreach (var mapped in Map(chunk))
                yield return mapped;
            if (_includeUsage && chunk.Usage is { } usage)
                yield return UsageChunk(Usage.From(usage));
        }
    }

    /// <summary>What the stream says before the engine's first chunk.</summary>
    protected virtual IEnumerable<TChunk> Start() => [];

    /// <summary>What one engine chunk adds to the stream (a choice's last carries its finish_reason).</summary>
    protected abstract IEnumerable<TChunk> Map(GenerationChunk chunk);

    /// <summary>The stream's last chunk, when include_usage asked for it: no choices, the whole request's usage.</summary>
    protected abstract TChunk UsageChunk(Usage usage);
}
