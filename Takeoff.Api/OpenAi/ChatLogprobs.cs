using Takeoff.Engine.Generation;

namespace Takeoff.Api.OpenAi;

/// <summary>The log-probabilities of a chat answer's tokens, in order.</summary>
public sealed record ChatLogprobs(IReadOnlyList<ChatTokenLogprob> Content)
{
    public static ChatLogprobs? From(IReadOnlyList<GeneratedToken> tokens, bool asked) =>
        asked ? new ChatLogprobs(tokens.Where(t => t.Probability is not null).Select(ChatTokenLogprob.From).ToArray()) : null;
}

/// <param name="Token">The token's text.</param>
/// <param name="Logprob">Natural-log probability under the model.</param>
/// <param name="Bytes">The token's UTF-8 bytes.</param>
/// <param name="TopLogprobs">The most likely tokens at that step, most likely first.</param>
public sealed record ChatTokenLogprob(string Token, float Logprob, IReadOnlyList<int> Bytes, IReadOnlyList<TopLogprob> TopLogprobs)
{
    public static ChatTokenLogprob From(GeneratedToken token)
    {
        var chosen = token.Probability!;
        return new ChatTokenLogprob(chosen.Piece, chosen.Logprob, ByteValues(chosen),
            (token.Alternatives ?? []).Select(a => new TopLogprob(a.Piece, a.Logprob, ByteValues(a))).ToArray());
    }

    private static int[] ByteValues(TokenProbability token) => token.Bytes.Select(b => (int)b).ToArray();
}

public sealed record TopLogprob(string Token, float Logprob, IReadOnlyList<int> Bytes);
