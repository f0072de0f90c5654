namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// Matches one code point: a literal character, a class <c>[...]</c>, a negated class <c>[^...]</c>, or
/// <c>.</c> (a negated empty set: any code point, as llama.cpp's CHAR_ANY).
/// </summary>
internal sealed record GbnfCharClass(CodePointSet Set, bool Negated) : GbnfElement
{
    public static GbnfCharClass Any { get; } = new(CodePointSet.Empty, Negated: true);

    public bool Matches(int codePoint) => Set.Contains(codePoint) != Negated;
}
