using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Takeoff.Api.Hosting;
using Takeoff.Api.Wire;
using Takeoff.Engine;

namespace Takeoff.Api.Takeoff;

/// <summary>Takeoff's generation endpoints: the engine's token streams mapped onto HTTP.</summary>
public sealed class GenerateController(InferenceEngine engine, IOptions<ServerOptions> server) : TakeoffController
{
    /// <summary>Generate text for one prompt or a list of prompts, answered as one JSON document.</summary>
    /// <response code="200">The generated text (under both "text" and "message").</response>
    /// <response code="400">A field is missing, of the wrong type or out of range.</response>
    /// <response code="404">No model serves the requested consumer group.</response>
    /// <response code="503">The model is loading or at capacity; retry after Retry-After seconds.</response>
    [HttpPost("/generate")]
    [ProducesResponseType<GenerateResponse>(StatusCodes.Status200OK, "application/json")]
    public async Task<GenerateResponse> Generate(GenerateRequest request, CancellationToken cancellation)
    {
        // Every prompt is one choice of one engine request: all are admitted together and decode together.
        var result = await engine.CompleteAsync(request.ToEngineRequest(), cancellation);
        // Answers keep the shape of the prompt: one string, or a list in input order.
        var answers = request.Text!.IsList ? OneOrMany.Many(result.Choices) : OneOrMany.One(result.Choices[0]);
        var text = answers.Select(choice => choice.Text);
        var metadata = request.ReturnMetadata == true ? answers.Select(choice => GenerationMetadata.From(choice.Summary)) : null;
        return new GenerateResponse(text, text, metadata);
    }

    /// <summary>
    /// Stream the generated text as it is produced: plain UTF-8, chunked, one write per decoded piece, no framing.
    /// With <c>Accept: text/event-stream</c> (or a server started with <c>--stream-format sse</c>) each piece is an
    /// SSE <c>data:</c> event, and <c>return_metadata</c> adds a final <c>metadata</c> event.
    /// </summary>
    /// <response code="200">The generated text, streamed.</response>
    /// <response code="400">A field is missing, of the wrong type or out of range (text must be one string).</response>
    /// <response code="404">No model serves the requested consumer group.</response>
    /// <response code="503">The model is loading or at capacity; retry after Retry-After seconds.</response>
    [HttpPost("/generate_stream")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/plain", "text/event-stream")]
    public IActionResult GenerateStream(GenerateRequest request)
    {
        if (request.Text!.IsList)
        {
            ModelState.AddModelError("text", "/generate_stream takes one prompt; send a list to /generate.");
            return ValidationProblem(ModelState);
        }

        // Validation and admission happen here, before the response starts, so refusals keep their status code.
        var chunks = engine.Generate(request.ToEngineRequest(), HttpContext.RequestAborted);
        var sse = server.Value.StreamFormat == StreamFormat.Sse
                  || Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));
        return sse
            ? new ServerSentEventsResult(chunks, request.ReturnMetadata == true)
            : new PlainTextStreamResult(chunks);
    }
}
