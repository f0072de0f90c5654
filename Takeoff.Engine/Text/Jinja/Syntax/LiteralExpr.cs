namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>A constant: string, integer, float, boolean or none.</summary>
internal sealed record LiteralExpr(object? Value) : Expr;
