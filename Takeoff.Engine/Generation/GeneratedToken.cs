namespace Takeoff.Engine.Generation;

/// <summary>One sampled token; with log-probabilities asked for, how likely it was and what else was likely.</summary>
/// <param name="Probability">The token itself with its log-probability (null unless asked for).</param>
/// <param name="Alternatives">The most likely tokens at that step, most likely first (null unless asked for).</param>
public sealed record GeneratedToken(int Id, TokenProbability? Probability = null, IReadOnlyList<TokenProbability>? Alternatives = null);
