namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>A list display <c>[a, b]</c>.</summary>
internal sealed record ListExpr(IReadOnlyList<Expr> Items) : Expr;
