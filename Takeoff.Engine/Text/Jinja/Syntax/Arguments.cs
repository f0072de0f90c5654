namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>The arguments of a call, filter or test: positional ones, then keyword ones.</summary>
internal sealed record Arguments(IReadOnlyList<Expr> Positional, IReadOnlyList<KeyValuePair<string, Expr>> Named)
{
    public static Arguments None { get; } = new([], []);
}
