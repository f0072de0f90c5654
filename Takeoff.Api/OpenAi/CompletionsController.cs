using Microsoft.AspNetCore.Mvc;
using Takeoff.Engine;

namespace Takeoff.Api.OpenAi;

/// <summary>OpenAI's (legacy) text completions: the prompt is continued as it is, without a chat template.</summary>
public sealed class CompletionsController(InferenceEngine engine, TimeProvider time) : OpenAiController
{
    /// <summary>
    /// Continue one prompt or a list of prompts (n choices each; choice index = prompt index × n + i). With
    /// <c>stream: true</c>, text_completion chunks as server-sent events, then <c>[DONE]</c>.
    /// </summary>
    /// <response code="200">The completions (JSON), or their stream (text/event-stream).</response>
    /// <response code="400">A field is invalid or not supported (echo, suffix, best_of).</response>
    /// <response code="404">No consumer group or model of that name.</response>
    /// <response code="503">The model is loading or at capacity; retry after Retry-After seconds.</response>
    [HttpPost("/v1/completions")]
    [ProducesResponseType<CompletionResponse>(StatusCodes.Status200OK, "application/json", "text/event-stream")]
    public Task<IActionResult> Create(CompletionRequest request, CancellationToken cancellation)
    {
        var generation = request.ToEngineRequest();
        var answer = new CompletionAnswer(OpenAiAnswer.Start("cmpl", time, generation.Target), generation.Logprobs is not null,
            request.IncludeUsage);
        return AnswerAsync(engine, generation, request.Stream == true, answer, cancellation);
    }
}
