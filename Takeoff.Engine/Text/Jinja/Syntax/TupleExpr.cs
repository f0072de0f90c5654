namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>A tuple <c>(a, b)</c> or a bare <c>a, b</c>.</summary>
internal sealed record TupleExpr(IReadOnlyList<Expr> Items) : Expr;
