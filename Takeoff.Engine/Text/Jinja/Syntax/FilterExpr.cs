namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary><c>x | name(args)</c>.</summary>
internal sealed record FilterExpr(Expr Target, string Name, Arguments Arguments) : Expr;
