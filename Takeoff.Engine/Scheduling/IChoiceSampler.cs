namespace Takeoff.Engine.Scheduling;

/// <summary>
/// One choice's sampler, made by its <see cref="IDecoder"/>. <see cref="Sample"/> also accepts the token into the
/// choice's chains (penalties, grammar): it must not be accepted again (twice aborts llama.cpp's grammar).
/// </summary>
internal interface IChoiceSampler : IDisposable
{
    /// <summary>Held to a grammar: it needs the logits as the model gave them as well.</summary>
    bool Constrained { get; }

    /// <summary>Time spent in the grammar so far (zero for a free choice).</summary>
    TimeSpan GrammarTime { get; }

    /// <summary>Tokens sampled so far.</summary>
    int Sampled { get; }

    /// <param name="logits">This choice's row of the decode's logits, under the request's hard constraints (min tokens, n-grams).</param>
    /// <param name="unconstrained">The same row before them (constrained choices only; empty otherwise).</param>
    /// <returns>The token, or null when a grammar allows no token of the vocabulary here.</returns>
    int? Sample(ReadOnlySpan<float> logits, ReadOnlySpan<float> unconstrained);
}
