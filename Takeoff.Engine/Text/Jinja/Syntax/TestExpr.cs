namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary><c>x is [not] name(args)</c>.</summary>
internal sealed record TestExpr(Expr Target, string Name, Arguments Arguments, bool Negated) : Expr;
