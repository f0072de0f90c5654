namespace Takeoff.Engine.Sampling;

/// <summary>
/// How much of the loop thread one constrained choice's grammar work (llama.cpp's grammar apply and accept) may
/// take: <see cref="PerToken"/> on average, plus <see cref="Burst"/> for the first steps and the odd slow one. Admission (<see cref="Constraints.GbnfCost"/>) refuses what it can see is too expensive; this ends what it
/// could not see, so that one client's grammar cannot hold every other client's tokens for long. A native call
/// cannot be interrupted, so the check comes after each step: the overrun is at most one step.
/// </summary>
/// <param name="PerToken">Average grammar time allowed per sampled token.</param>
/// <param name="Burst">Grammar time allowed above that average.</param>
internal sealed record GrammarBudget(TimeSpan PerToken, TimeSpan Burst)
{
    /// <summary>
    /// 10 ms a token on average and 250 ms over it (for vocabularies up to <see cref="ReferenceVocabulary"/>):
    /// JSON-schema grammars take well under a millisecond a token on stories260K's 512-token vocabulary, pathological
    /// ones 30 ms and more (measured).
    /// </summary>
    public static GrammarBudget Default { get; } = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(250));

    /// <summary>A budget of <paramref name="perTokenMilliseconds"/> a token with a burst of 25 tokens' worth.</summary>
    public static GrammarBudget PerTokenMilliseconds(double perTokenMilliseconds) =>
        new(TimeSpan.FromMilliseconds(perTokenMilliseconds), TimeSpan.FromMilliseconds(perTokenMilliseconds * 25));

    /// <summary>Vocabulary entries the budget is stated for; larger vocabularies get proportionally more.</summary>
    public const int ReferenceVocabulary = 32_000;

    /// <summary>
    /// The budget for a vocabulary of <paramref name="size"/> tokens. A pass of the vocabulary through llama.cpp's
    /// grammar costs per entry whatever the grammar: a four-field schema took 10-117 ms a token (35 on average) on
    /// Qwen2's 151,936-token vocabulary when every token needed that pass, against well under 1 ms on stories260K's
    /// 512 (measured), so a fixed budget would end ordinary schemas on large vocabularies.
    /// </summary>
    public GrammarBudget ForVocabulary(int size) => size <= ReferenceVocabulary
        ? this
        : new(PerToken * ((double)size / ReferenceVocabulary), Burst * ((double)size / ReferenceVocabulary));

    /// <summary>Whether <paramref name="spent"/> over <paramref name="tokens"/> sampled tokens is past the budget.</summary>
    public bool Exceeded(TimeSpan spent, int tokens) => spent > Burst + PerToken * Math.Max(tokens, 1);
}
