using System.Runtime.CompilerServices;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Text.Tools;

namespace Takeoff.Api.OpenAi;

/// <summary>
/// The engine's chunks as OpenAI's chat stream: for each choice its role first, then its reasoning and content as
/// they come, its tool calls as they are written (each an index/id/type/name delta, then its arguments in pieces), then
/// a chunk with its finish_reason; with include_usage, a last chunk with no choices and the request's usage.
/// </summary>
public static class ChatCompletionChunks
{
    public static async IAsyncEnumerable<ChatCompletionChunk> From(IAsyncEnumerable<GenerationChunk> chunks,
        OpenAiAnswer answer, int choices, int choicesPerPrompt, bool logprobs, bool includeUsage,
        IReadOnlyCollection<string>? toolNames = null, string prefill = "", [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var splitters = new AnswerSplitter[choices];
        for (var choice = 0; choice < choices; choice++)
        {
            splitters[choice] = new AnswerSplitter(toolNames, startsInReasoning: false, prefill);
            yield return Chunk(answer, new ChatChunkChoice(choice, new ChatDelta("assistant", ""), null, null));
        }

        var finished = new List<(int, GenerationSummary)>();
        await foreach (var chunk in chunks.WithCancellation(cancellation))
        {
            var splitter = splitters[chunk.Choice];
            var (reasoning, content, calls) = splitter.Add(chunk.Text);
            if (reasoning.Length > 0)
                yield return Chunk(answer, new ChatChunkChoice(chunk.Choice, new ChatDelta(null, null, reasoning), null, null));
            if (content.Length > 0 || (logprobs && chunk.Tokens.Count > 0))
                yield return Chunk(answer, new ChatChunkChoice(chunk.Choice, new ChatDelta(null, content),
                    ChatLogprobs.From(chunk.Tokens, logprobs), null));
            foreach (var call in calls)
                yield return CallChunk(answer, chunk.Choice, call);
            if (chunk.Summary is not { } summary)
                continue;

            var (lastReasoning, lastContent, finalCalls, lastCalls) = splitter.Finish();
            if (lastReasoning.Length > 0)
                yield return Chunk(answer, new ChatChunkChoice(chunk.Choice, new ChatDelta(null, null, lastReasoning), null, null));
            if (lastContent.Length > 0)
                yield return Chunk(answer, new ChatChunkChoice(chunk.Choice, new ChatDelta(null, lastContent), null, null));
            foreach (var call in lastCalls)
                yield return CallChunk(answer, chunk.Choice, call);
            finished.Add((chunk.Choice, summary));
            yield return Chunk(answer, new ChatChunkChoice(chunk.Choice, new ChatDelta(null, null), null,
                finalCalls.Count > 0 ? "tool_calls" : OpenAiNames.FinishReason(summary.FinishReason)));
        }
        if (includeUsage)
            yield return new ChatCompletionChunk(answer.Id, answer.Created, answer.Model, [], Usage.From(finished, choicesPerPrompt));
    }

    private static ChatCompletionChunk CallChunk(OpenAiAnswer answer, int choice, ToolCallPiece call) =>
        Chunk(answer, new ChatChunkChoice(choice, new ChatDelta(null, null, ToolCalls:
            [new ToolCallDelta(call.Index, call.Id, call.Id is null ? null : "function", new FunctionCallDelta(call.Name, call.Arguments))]), null, null));

    private static ChatCompletionChunk Chunk(OpenAiAnswer answer, ChatChunkChoice choice) =>
        new(answer.Id, answer.Created, answer.Model, [choice]);
}
