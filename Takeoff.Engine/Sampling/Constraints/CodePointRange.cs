namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>An inclusive range of Unicode code points.</summary>
internal readonly record struct CodePointRange(int First, int Last)
{
    public bool Contains(int codePoint) => First <= codePoint && codePoint <= Last;
}
