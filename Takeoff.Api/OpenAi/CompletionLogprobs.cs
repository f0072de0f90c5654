using Takeoff.Engine.Generation;

namespace Takeoff.Api.OpenAi;

/// <summary>The legacy completions log-probabilities: parallel lists, one entry per token.</summary>
/// <param name="TextOffset">Where each token's text starts in the choice's text.</param>
public sealed record CompletionLogprobs(
    IReadOnlyList<string> Tokens,
    IReadOnlyList<float> TokenLogprobs,
    IReadOnlyList<IReadOnlyDictionary<string, float>> TopLogprobs,
    IReadOnlyList<int> TextOffset)
{
    /// <param name="offset">Where the first token's text starts in the choice's text.</param>
    public static CompletionLogprobs? From(IReadOnlyList<GeneratedToken> tokens, bool asked, int offset)
    {
        if (!asked)
            return null;
        var described = tokens.Where(t => t.Probability is not null).ToArray();
        var offsets = new int[described.Length];
        for (var i = 0; i < described.Length; i++)
        {
            offsets[i] = offset;
            offset += described[i].Probability!.Piece.Length;
        }
        return new CompletionLogprobs(
            described.Select(t => t.Probability!.Piece).ToArray(),
            described.Select(t => t.Probability!.Logprob).ToArray(),
            described.Select(t => (IReadOnlyDictionary<string, float>)(t.Alternatives ?? [])
                .DistinctBy(a => a.Piece).ToDictionary(a => a.Piece, a => a.Logprob)).ToArray(),
            offsets);
    }
}
