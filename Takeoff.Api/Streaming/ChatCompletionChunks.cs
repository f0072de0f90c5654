using System.Runtime.CompilerServices;
using Takeoff.Api.Contracts.OpenAi;
using Takeoff.Engine.Generation;

namespace Takeoff.Api.Streaming;

/// <summary>
/// The engine's chunks as OpenAI's chat stream: for each choice its role first, then its content as it comes, then
/// a chunk with its finish_reason; with include_usage, a last chunk with no choices and the request's usage.
/// </summary>
public static class ChatCompletionChunks
{
    public static async IAsyncEnumerable<ChatCompletionChunk> From(IAsyncEnumerable<GenerationChunk> chunks,
        OpenAiAnswer answer, int choices, int choicesPerPrompt, bool logprobs, bool includeUsage,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        for (var choice = 0; choice < choices; choice++)
            yield return Chunk(answer, new ChatChunkChoice(choice, new ChatDelta("assistant", ""), null, null));

        var finished = new List<(int, GenerationSummary)>();
        await foreach (var chunk in chunks.WithCancellation(cancellation))
        {
            if (chunk.Text.Length > 0 || (logprobs && chunk.Tokens.Count > 0))
                yield return Chunk(answer, new ChatChunkChoice(chunk.Choice, new ChatDelta(null, chunk.Text),
                    ChatLogprobs.From(chunk.Tokens, logprobs), null));
            if (chunk.Summary is { } summary)
            {
                finished.Add((chunk.Choice, summary));
                yield return Chunk(answer, new ChatChunkChoice(chunk.Choice, new ChatDelta(null, null), null,
                    OpenAiNames.FinishReason(summary.FinishReason)));
            }
        }
        if (includeUsage)
            yield return new ChatCompletionChunk(answer.Id, answer.Created, answer.Model, [], Usage.From(finished, choicesPerPrompt));
    }

    private static ChatCompletionChunk Chunk(OpenAiAnswer answer, ChatChunkChoice choice) =>
        new(answer.Id, answer.Created, answer.Model, [choice]);
}
