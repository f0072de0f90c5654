namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary><c>x[i]</c> or <c>x[a:b:c]</c>: item first, then attribute, as Jinja2's getitem.</summary>
internal sealed record ItemExpr(Expr Target, Expr Index) : Expr;
