namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>The <c>a:b:c</c> inside brackets; any part may be missing.</summary>
internal sealed record SliceExpr(Expr? Start, Expr? Stop, Expr? Step) : Expr;
