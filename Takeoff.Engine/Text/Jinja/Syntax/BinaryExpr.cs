namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>Arithmetic, <c>~</c>, and the short-circuiting <c>and</c> / <c>or</c>.</summary>
internal sealed record BinaryExpr(string Operator, Expr Left, Expr Right) : Expr;
