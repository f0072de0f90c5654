namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>One character from <see cref="Set"/>: a literal, a class, a shorthand such as \d, or <c>.</c>.</summary>
internal sealed record RegexChars(CodePointSet Set) : RegexNode
{
    public override bool Nullable => false;

    public override RegexNode? WithoutEmpty() => this;
}
