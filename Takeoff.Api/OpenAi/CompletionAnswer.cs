using Takeoff.Engine.Generation;

namespace Takeoff.Api.OpenAi;

/// <summary>
/// The engine's results as OpenAI's (legacy) completions: text_completion objects, whole or streamed with one choice
/// each (the last of a choice carrying its finish_reason).
/// </summary>
public sealed class CompletionAnswer(TimeProvider time, CompletionRequest request, GenerationRequest generation)
    : GenerationAnswer<CompletionResponse, CompletionResponse>("cmpl", time, request, generation)
{
    // Where each streamed choice's next text starts in its whole text, for logprobs' text_offset.
    private readonly Dictionary<int, int> _offsets = [];

    public override CompletionResponse Whole(GenerationResult result) => Response(
        result.Choices.Select(choice => new CompletionChoice(choice.Text, choice.Index,
            CompletionLogprobs.From(choice.Tokens, Logprobs, 0), OpenAiNames.FinishReason(choice.Summary.FinishReason))).ToArray(),
        Usage.From(result.Usage));

    protected override IEnumerable<CompletionResponse> Map(GenerationChunk chunk)
    {
        var offset = _offsets.GetValueOrDefault(chunk.Choice);
        _offsets[chunk.Choice] = offset + chunk.Text.Length;
        var finishReason = chunk.Summary is { } summary ? OpenAiNames.FinishReason(summary.FinishReason) : null;
        if (chunk.Text.Length > 0 || chunk.Tokens.Count > 0 || finishReason is not null)
            yield return Response([new CompletionChoice(chunk.Text, chunk.Choice, CompletionLogprobs.From(chunk.Tokens, Logprobs, offset), finishReason)], null);
    }

    protected override CompletionResponse UsageChunk(Usage usage) => Response([], usage);

    private CompletionResponse Response(IReadOnlyList<CompletionChoice> choices, Usage? usage) =>
        new(Answer.Id, Answer.Created, Answer.Model, choices, usage);
}
