using System.Runtime.CompilerServices;
using Takeoff.Api.Contracts.OpenAi;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Text.Tools;

namespace Takeoff.Api.Streaming;

/// <summary>
/// The engine's chunks as OpenAI's chat stream: for each choice its role first, then its reasoning and content as
/// they come, then its tool calls (each as an index/id/type/name delta, then its arguments in pieces), then a chunk with
/// its finish_reason; with include_usage, a last chunk with no choices and the request's usage. Text from a tool call's
/// marker on is held until the choice ends, then sent as tool_calls deltas (or as content when it is no call after all).
/// </summary>
public static class ChatCompletionChunks
{
    /// <summary>Characters of arguments per streamed piece.</summary>
    private const int ArgumentsPiece = 48;

    public static async IAsyncEnumerable<ChatCompletionChunk> From(IAsyncEnumerable<GenerationChunk> chunks,
        OpenAiAnswer answer, int choices, int choicesPerPrompt, bool logprobs, bool includeUsage,
        IReadOnlyCollection<string>? toolNames = null, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var splitters = new AnswerSplitter[choices];
        for (var choice = 0; choice < choices; choice++)
        {
            splitters[choice] = new AnswerSplitter(toolNames, startsInReasoning: false);
            yield return Chunk(answer, new ChatChunkChoice(choice, new ChatDelta("assistant", ""), null, null));
        }

        var finished = new List<(int, GenerationSummary)>();
        await foreach (var chunk in chunks.WithCancellation(cancellation))
        {
            var splitter = splitters[chunk.Choice];
            var (reasoning, content) = splitter.Add(chunk.Text);
            if (reasoning.Length > 0)
                yield return Chunk(answer, new ChatChunkChoice(chunk.Choice, new ChatDelta(null, null, reasoning), null, null));
            if (content.Length > 0 || (logprobs && chunk.Tokens.Count > 0))
                yield return Chunk(answer, new ChatChunkChoice(chunk.Choice, new ChatDelta(null, content),
                    ChatLogprobs.From(chunk.Tokens, logprobs), null));
            if (chunk.Summary is not { } summary)
                continue;

            var (lastReasoning, lastContent, calls) = splitter.Finish();
            if (lastReasoning.Length > 0)
                yield return Chunk(answer, new ChatChunkChoice(chunk.Choice, new ChatDelta(null, null, lastReasoning), null, null));
            if (lastContent.Length > 0)
                yield return Chunk(answer, new ChatChunkChoice(chunk.Choice, new ChatDelta(null, lastContent), null, null));
            for (var i = 0; i < calls.Count; i++)
            {
                var call = calls[i];
                yield return Chunk(answer, new ChatChunkChoice(chunk.Choice,
                    new ChatDelta(null, null, ToolCalls: [new ToolCallDelta(i, call.Id, "function", new FunctionCallDelta(call.Name, ""))]), null, null));
                for (var at = 0; at < call.Arguments.Length; at += ArgumentsPiece)
                {
                    var piece = call.Arguments.Substring(at, Math.Min(ArgumentsPiece, call.Arguments.Length - at));
                    yield return Chunk(answer, new ChatChunkChoice(chunk.Choice,
                        new ChatDelta(null, null, ToolCalls: [new ToolCallDelta(i, null, null, new FunctionCallDelta(null, piece))]), null, null));
                }
            }
            finished.Add((chunk.Choice, summary));
            yield return Chunk(answer, new ChatChunkChoice(chunk.Choice, new ChatDelta(null, null), null,
                calls.Count > 0 ? "tool_calls" : OpenAiNames.FinishReason(summary.FinishReason)));
        }
        if (includeUsage)
            yield return new ChatCompletionChunk(answer.Id, answer.Created, answer.Model, [], Usage.From(finished, choicesPerPrompt));
    }

    private static ChatCompletionChunk Chunk(OpenAiAnswer answer, ChatChunkChoice choice) =>
        new(answer.Id, answer.Created, answer.Model, [choice]);
}
