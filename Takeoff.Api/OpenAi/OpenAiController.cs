using Microsoft.AspNetCore.Mvc;
using Takeoff.Engine;
using Takeoff.Engine.Generation;

namespace Takeoff.Api.OpenAi;

/// <summary>
/// What every /v1 controller that takes a request shares: the API's marker, its own OpenAPI document, OpenAI's error body
/// for 400, 404 and 503, and one way to answer a generation, whole or streamed.
/// </summary>
[ApiController]
[OpenAiApi]
[OpenAiStatusErrors]
[ApiExplorerSettings(GroupName = OpenAiDocument.Name)]
[ProducesResponseType<OpenAiErrorResponse>(StatusCodes.Status400BadRequest, "application/json")]
[ProducesResponseType<OpenAiErrorResponse>(StatusCodes.Status404NotFound, "application/json")]
[ProducesResponseType<OpenAiErrorResponse>(StatusCodes.Status503ServiceUnavailable, "application/json")]
public abstract class OpenAiController : ControllerBase
{
    /// <summary>
    /// Streams the answer as server-sent events when the request asked for it, else answers once, whole. Either way the
    /// engine validates and admits the request here, before the response starts, so refusals keep their status code.
    /// </summary>
    protected async Task<IActionResult> AnswerAsync<TResponse, TChunk>(InferenceEngine engine, OpenAiGenerationRequest request,
        GenerationRequest generation, GenerationAnswer<TResponse, TChunk> answer, CancellationToken cancellation)
    {
        if (request.Stream == true)
            return new OpenAiServerSentEventsResult<TChunk>(answer.Stream(engine.Generate(generation, cancellation), cancellation));
        return Ok(answer.Whole(await engine.CompleteAsync(generation, cancellation)));
    }
}
