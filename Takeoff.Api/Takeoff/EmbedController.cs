using Microsoft.AspNetCore.Mvc;
using Takeoff.Api.Wire;
using Takeoff.Engine;

namespace Takeoff.Api.Takeoff;

/// <summary>Embeddings from the EMBEDDING readers of a consumer group.</summary>
public sealed class EmbedController(InferenceEngine engine) : TakeoffController
{
    /// <summary>Embed one text or a list of texts: pooled, L2-normalized vectors of the model's embedding size.</summary>
    /// <response code="400">A field is invalid, or the group's readers are not EMBEDDING readers.</response>
    /// <response code="404">No such consumer group.</response>
    /// <response code="503">The group's readers are loading or at capacity; retry after Retry-After seconds.</response>
    [HttpPost("/embed")]
    [ProducesResponseType<EmbedResponse>(StatusCodes.Status200OK, "application/json")]
    public async Task<EmbedResponse> Embed(EmbedRequest request, CancellationToken cancellation)
    {
        var result = await engine.EmbedAsync(request.ToEngineRequest(), cancellation);
        return new EmbedResponse(request.Text!.IsList ? OneOrMany.Many(result.Vectors) : OneOrMany.One(result.Vectors[0]));
    }
}
