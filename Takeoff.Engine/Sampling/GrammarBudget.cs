namespace Takeoff.Engine.Sampling;

/// <summary>
/// How much of the loop thread one constrained choice's grammar work (llama.cpp's grammar init, apply and accept)
/// may take: <see cref="PerToken"/> on average, plus <see cref="Burst"/> for the first steps and the odd slow one.
/// Admission (<see cref="Constraints.GbnfCost"/>) refuses what it can see is too expensive; this ends what it
/// could not see, so that one client's grammar cannot hold every other client's tokens for long. A native call
/// cannot be interrupted, so the check comes after each step: the overrun is at most one step.
/// </summary>
/// <param name="PerToken">Average grammar time allowed per sampled token.</param>
/// <param name="Burst">Grammar time allowed above that average.</param>
internal sealed record GrammarBudget(TimeSpan PerToken, TimeSpan Burst)
{
    /// <summary>
    /// 10 ms a token on average and 250 ms over it: JSON-schema grammars take well under a millisecond a token on
    /// stories260K's 512-token vocabulary, and a few milliseconds on 150,000-token vocabularies.
    /// </summary>
    public static GrammarBudget Default { get; } = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(250));

    /// <summary>A budget of <paramref name="perTokenMilliseconds"/> a token with a burst of 25 tokens' worth.</summary>
    public static GrammarBudget PerTokenMilliseconds(double perTokenMilliseconds) =>
        new(TimeSpan.FromMilliseconds(perTokenMilliseconds), TimeSpan.FromMilliseconds(perTokenMilliseconds * 25));

    /// <summary>Whether <paramref name="spent"/> over <paramref name="tokens"/> sampled tokens is past the budget.</summary>
    public bool Exceeded(TimeSpan spent, int tokens) => spent > Burst + PerToken * Math.Max(tokens, 1);
}
