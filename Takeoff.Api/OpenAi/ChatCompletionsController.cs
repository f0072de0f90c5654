using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Takeoff.Engine;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Text.Tools;

namespace Takeoff.Api.OpenAi;

/// <summary>OpenAI's chat completions over the model's chat template.</summary>
[OpenAiApi("messages", logprobs: "top_logprobs")]
public sealed class ChatCompletionsController(InferenceEngine engine, TimeProvider time, IOptions<JsonOptions> json) : OpenAiController
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
    public async Task<IActionResult> Create(ChatCompletionRequest request, CancellationToken cancellation)
    {
        var generation = request.ToEngineRequest();
        var answer = OpenAiAnswer.Start("chatcmpl", time, generation.Target);
        var logprobs = generation.Logprobs is not null;
        var toolNames = request.CallableNames();
        var prefill = generation.Prompts[0] is Prompt.Chat chat ? chat.Prefill : "";
        if (request.Stream == true)
        {
            // Validation and admission happen here, before the response starts, so refusals keep their status code.
            var chunks = engine.Generate(generation, cancellation);
            return new OpenAiServerSentEventsResult<ChatCompletionChunk>(
                ChatCompletionChunks.From(chunks, answer, generation.Choices, generation.Choices, logprobs,
                    request.StreamOptions?.IncludeUsage == true, toolNames, prefill, cancellation),
                json.Value.JsonSerializerOptions);
        }

        var result = await engine.CompleteAsync(generation, cancellation);
        return Ok(new ChatCompletionResponse(answer.Id, answer.Created, answer.Model,
            result.Choices.Select(choice => Choice(choice, toolNames, prefill, logprobs)).ToArray(),
            Usage.From(result.Choices.Select(c => (c.Index, c.Summary)), generation.Choices)));
    }

    /// <summary>A finished choice as OpenAI's message: its think block as reasoning_content, its calls as tool_calls.</summary>
    private static ChatCompletionChoice Choice(ChoiceResult choice, IReadOnlyCollection<string>? toolNames, string prefill, bool logprobs)
    {
        var (reasoning, content, calls) = AnswerSplitter.Split(choice.Text, toolNames, prefill: prefill);
        var message = new AssistantMessage("assistant", calls.Count > 0 ? content : content ?? "", reasoning,
            calls.Count > 0 ? calls.Select(c => new ToolCall(c.Id, new FunctionCall(c.Name, c.Arguments))).ToArray() : null);
        return new ChatCompletionChoice(choice.Index, message,
            calls.Count > 0 ? "tool_calls" : OpenAiNames.FinishReason(choice.Summary.FinishReason), ChatLogprobs.From(choice.Tokens, logprobs));
    }
}
