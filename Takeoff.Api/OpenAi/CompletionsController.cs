using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Takeoff.Engine;

namespace Takeoff.Api.OpenAi;

/// <summary>OpenAI's (legacy) text completions: the prompt is continued as it is, without a chat template.</summary>
[OpenAiApi("prompt")]
public sealed class CompletionsController(InferenceEngine engine, TimeProvider time, IOptions<JsonOptions> json) : OpenAiController
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
    public async Task<IActionResult> Create(CompletionRequest request, CancellationToken cancellation)
    {
        var generation = request.ToEngineRequest();
        var answer = OpenAiAnswer.Start("cmpl", time, generation.Target);
        var logprobs = generation.Logprobs is not null;
        var choices = generation.Prompts.Count * generation.Choices;
        if (request.Stream == true)
        {
            var chunks = engine.Generate(generation, cancellation);
            return new OpenAiServerSentEventsResult<CompletionResponse>(
                CompletionChunks.From(chunks, answer, choices, generation.Choices, logprobs, request.StreamOptions?.IncludeUsage == true, cancellation),
                json.Value.JsonSerializerOptions);
        }

        var result = await engine.CompleteAsync(generation, cancellation);
        return Ok(new CompletionResponse(answer.Id, answer.Created, answer.Model,
            result.Choices.Select(choice => new CompletionChoice(choice.Text, choice.Index,
                CompletionLogprobs.From(choice.Tokens, logprobs, 0), OpenAiNames.FinishReason(choice.Summary.FinishReason))).ToArray(),
            Usage.From(result.Choices.Select(c => (c.Index, c.Summary)), generation.Choices)));
    }
}
