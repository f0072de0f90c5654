namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>A parsed regular expression, reduced to what a grammar can express.</summary>
internal abstract record RegexNode
{
    /// <summary>The node matches the empty string.</summary>
    public abstract bool Nullable { get; }

    /// <summary>
    /// The same language without the empty string, or null when nothing is left. An unbounded repetition of a
    /// nullable item becomes a repetition of this, because llama.cpp rewrites S* as S' ::= S S' | , which is left
    /// recursive when S can be empty.
    /// </summary>
    public abstract RegexNode? WithoutEmpty();
}
