namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary><c>-x</c>, <c>+x</c> or <c>not x</c>.</summary>
internal sealed record UnaryExpr(string Operator, Expr Operand) : Expr;
