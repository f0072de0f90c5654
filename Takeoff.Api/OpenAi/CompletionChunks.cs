using System.Runtime.CompilerServices;
using Takeoff.Engine.Generation;

namespace Takeoff.Api.OpenAi;

/// <summary>
/// The engine's chunks as OpenAI's completions stream: text_completion objects with one choice each, the last of a
/// choice carrying its finish_reason; with include_usage, a last one with no choices and the request's usage.
/// </summary>
public static class CompletionChunks
{
    public static async IAsyncEnumerable<CompletionResponse> From(IAsyncEnumerable<GenerationChunk> chunks,
        OpenAiAnswer answer, int choices, int choicesPerPrompt, bool logprobs, bool includeUsage,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var finished = new List<(int, GenerationSummary)>();
        var offsets = new int[choices];
        await foreach (var chunk in chunks.WithCancellation(cancellation))
        {
            var finishReason = chunk.Summary is { } summary ? OpenAiNames.FinishReason(summary.FinishReason) : null;
            if (chunk.Text.Length > 0 || chunk.Tokens.Count > 0 || finishReason is not null)
                yield return Chunk(answer, new CompletionChoice(chunk.Text, chunk.Choice,
                    CompletionLogprobs.From(chunk.Tokens, logprobs, offsets[chunk.Choice]), finishReason));
            offsets[chunk.Choice] += chunk.Text.Length;
            if (chunk.Summary is not null)
                finished.Add((chunk.Choice, chunk.Summary));
        }
        if (includeUsage)
            yield return new CompletionResponse(answer.Id, answer.Created, answer.Model, [], Usage.From(finished, choicesPerPrompt));
    }

    private static CompletionResponse Chunk(OpenAiAnswer answer, CompletionChoice choice) =>
        new(answer.Id, answer.Created, answer.Model, [choice], null);
}
