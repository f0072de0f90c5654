using Takeoff.Engine.Generation;
using Takeoff.Engine.Text.Tools;

namespace Takeoff.Api.OpenAi;

/// <summary>
/// The engine's results as OpenAI's chat completions: each choice's think block as reasoning_content, its calls as
/// tool_calls. Streamed: for each choice its role first, then its reasoning and content as they come, its tool calls as
/// they are written (each an index/id/type/name delta, then its arguments in pieces), then a chunk with its finish_reason.
/// </summary>
public sealed class ChatCompletionAnswer : GenerationAnswer<ChatCompletionResponse, ChatCompletionChunk>
{
    // The functions an answer may call (null when tools are not offered), and the start of the answer the conversation
    // already wrote (its last assistant message): what the splitter needs to find reasoning, content and calls.
    private readonly IReadOnlyCollection<string>? _toolNames;
    private readonly string _prefill;
    // One per choice (n, of the one conversation), each announced with its role at the start.
    private readonly AnswerSplitter[] _splitters;

    public ChatCompletionAnswer(TimeProvider time, ChatCompletionRequest request, GenerationRequest generation)
        : base("chatcmpl", time, request, generation)
    {
        _toolNames = request.CallableNames();
        _prefill = ((Prompt.Chat)generation.Prompts[0]).Prefill;
        _splitters = Enumerable.Range(0, generation.Choices)
            .Select(_ => new AnswerSplitter(_toolNames, startsInReasoning: false, _prefill)).ToArray();
    }

    public override ChatCompletionResponse Whole(GenerationResult result) => new(Answer.Id, Answer.Created, Answer.Model,
        result.Choices.Select(Choice).ToArray(), Usage.From(result.Usage));

    private ChatCompletionChoice Choice(ChoiceResult choice)
    {
        var (reasoning, content, calls) = AnswerSplitter.Split(choice.Text, _toolNames, prefill: _prefill);
        var message = new AssistantMessage("assistant", calls.Count > 0 ? content : content ?? "", reasoning,
            calls.Count > 0 ? calls.Select(c => new ToolCall(c.Id, new FunctionCall(c.Name, c.Arguments))).ToArray() : null);
        return new ChatCompletionChoice(choice.Index, message, FinishReason(choice.Summary, calls.Count > 0),
            ChatLogprobs.From(choice.Tokens, Logprobs));
    }

    protected override IEnumerable<ChatCompletionChunk> Start() =>
        Enumerable.Range(0, _splitters.Length).Select(choice => Chunk(choice, new ChatDelta("assistant", "")));

    protected override IEnumerable<ChatCompletionChunk> Map(GenerationChunk chunk)
    {
        var splitter = _splitters[chunk.Choice];
        var (reasoning, content, calls) = splitter.Add(chunk.Text);
        if (reasoning.Length > 0)
            yield return Chunk(chunk.Choice, new ChatDelta(null, null, reasoning));
        if (content.Length > 0 || (Logprobs && chunk.Tokens.Count > 0))
            yield return Chunk(chunk.Choice, new ChatDelta(null, content), ChatLogprobs.From(chunk.Tokens, Logprobs));
        foreach (var call in calls)
            yield return CallChunk(chunk.Choice, call);
        if (chunk.Summary is not { } summary)
            yield break;

        var (lastReasoning, lastContent, finalCalls, lastCalls) = splitter.Finish();
        if (lastReasoning.Length > 0)
            yield return Chunk(chunk.Choice, new ChatDelta(null, null, lastReasoning));
        if (lastContent.Length > 0)
            yield return Chunk(chunk.Choice, new ChatDelta(null, lastContent));
        foreach (var call in lastCalls)
            yield return CallChunk(chunk.Choice, call);
        yield return Chunk(chunk.Choice, new ChatDelta(null, null), finishReason: FinishReason(summary, finalCalls.Count > 0));
    }

    protected override ChatCompletionChunk UsageChunk(Usage usage) => new(Answer.Id, Answer.Created, Answer.Model, [], usage);

    /// <summary>
    /// An answer that made calls ends as "tool_calls", unless the token limit cut it off: "length", as OpenAI says it,
    /// so that a client that runs the calls of a "tool_calls" answer never runs one cut off mid-way (its pieces may
    /// have been streamed already).
    /// </summary>
    private static string FinishReason(GenerationSummary summary, bool called) =>
        called && summary.FinishReason != Engine.Generation.FinishReason.Length
            ? "tool_calls"
            : OpenAiNames.FinishReason(summary.FinishReason);

    private ChatCompletionChunk CallChunk(int choice, ToolCallPiece call) => Chunk(choice, new ChatDelta(null, null, ToolCalls:
        [new ToolCallDelta(call.Index, call.Id, call.Id is null ? null : "function", new FunctionCallDelta(call.Name, call.Arguments))]));

    private ChatCompletionChunk Chunk(int choice, ChatDelta delta, ChatLogprobs? logprobs = null, string? finishReason = null) =>
        new(Answer.Id, Answer.Created, Answer.Model, [new ChatChunkChoice(choice, delta, logprobs, finishReason)]);
}
