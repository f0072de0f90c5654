using Microsoft.AspNetCore.Mvc;
using Takeoff.Engine;

namespace Takeoff.Api.OpenAi;

/// <summary>OpenAI's embeddings, from the EMBEDDING readers of a consumer group or model.</summary>
public sealed class EmbeddingsController(InferenceEngine engine) : OpenAiController
{
    /// <summary>Embed text or token ids: pooled, L2-normalized vectors, as floats or base64.</summary>
    /// <response code="400">A field is invalid, or the model's readers are not EMBEDDING readers.</response>
    /// <response code="404">No consumer group or model of that name.</response>
    /// <response code="503">The model is loading or at capacity; retry after Retry-After seconds.</response>
    [HttpPost("/v1/embeddings")]
    [ProducesResponseType<EmbeddingsResponse>(StatusCodes.Status200OK, "application/json")]
    public async Task<EmbeddingsResponse> Create(EmbeddingsRequest request, CancellationToken cancellation)
    {
        var embedding = request.ToEngineRequest();
        var result = await engine.EmbedAsync(embedding, cancellation);
        return new EmbeddingsResponse(
            result.Vectors.Select((vector, index) => EmbeddingData.From(index, vector, request.Base64)).ToArray(),
            embedding.Target, new EmbeddingsUsage(result.Tokens, result.Tokens));
    }
}
