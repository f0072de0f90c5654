using Microsoft.AspNetCore.Mvc;
using Takeoff.Engine;
using Takeoff.Engine.Generation;

namespace Takeoff.Api.OpenAi;

/// <summary>OpenAI's chat completions over the model's chat template.</summary>
public sealed class ChatCompletionsController(InferenceEngine engine, TimeProvider time) : OpenAiController
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
    public Task<IActionResult> Create(ChatCompletionRequest request, CancellationToken cancellation)
    {
        var generation = request.ToEngineRequest();
        var answer = new ChatCompletionAnswer(OpenAiAnswer.Start("chatcmpl", time, generation.Target), generation.Logprobs is not null,
            request.IncludeUsage, generation.Choices, request.CallableNames(), ((Prompt.Chat)generation.Prompts[0]).Prefill);
        return AnswerAsync(engine, generation, request.Stream == true, answer, cancellation);
    }
}
