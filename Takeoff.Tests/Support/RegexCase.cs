namespace Takeoff.Tests.Support;

/// <summary>A corpus regex with strings it fully matches and strings it does not.</summary>
internal sealed record RegexCase(string Name, string Pattern, IReadOnlyList<string> Matching, IReadOnlyList<string> NonMatching)
{
    public override string ToString() => Name;
}
