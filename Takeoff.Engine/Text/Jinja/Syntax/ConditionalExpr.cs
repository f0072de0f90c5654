namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary><c>a if test else b</c>; without else the value is undefined when the test fails.</summary>
internal sealed record ConditionalExpr(Expr Test, Expr Then, Expr? Else) : Expr;
