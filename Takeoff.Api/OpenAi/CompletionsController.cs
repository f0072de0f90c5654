using Microsoft.AspNetCore.Mvc;
using Takeoff.Engine;

namespace Takeoff.Api.OpenAi;

/// <summary>
/// OpenAI's generation endpoints: chat completions over the model's chat template, and the (legacy) text completions,
/// whose prompt is continued as it is.
/// </summary>
public sealed class CompletionsController(InferenceEngine engine, TimeProvider time) : OpenAiController
{
    /// <summary>
    /// Answer a conversation, formatted with the model's own chat template. With <c>stream: true</c> the answer
    /// comes as server-sent events: for each choice its role, then its content piece by piece, then its
    /// finish_reason; with <c>stream_options.include_usage</c> a last chunk carries the usage; then <c>[DONE]</c>.
    /// </summary>
    /// <response code="200">The answer (JSON), or its stream (text/event-stream).</response>
    /// <response code="400">A field is invalid or not supported (images, functions), a tool schema cannot be enforced, the chat template raised, or the prompt does not fit the context (code context_length_exceeded).</response>
    /// <response code="404">No consumer group or model of that name.</response>
    /// <response code="503">The model is loading or at capacity; retry after Retry-After seconds.</response>
    [HttpPost("/v1/chat/completions")]
    [ProducesResponseType<ChatCompletionResponse>(StatusCodes.Status200OK, "application/json", "text/event-stream")]
    public Task<IActionResult> Chat(ChatCompletionRequest request, CancellationToken cancellation)
    {
        var generation = request.ToEngineRequest();
        return AnswerAsync(engine, request, generation, new ChatCompletionAnswer(time, request, generation), cancellation);
    }

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
    public Task<IActionResult> Complete(CompletionRequest request, CancellationToken cancellation)
    {
        var generation = request.ToEngineRequest();
        return AnswerAsync(engine, request, generation, new CompletionAnswer(time, request, generation), cancellation);
    }
}
