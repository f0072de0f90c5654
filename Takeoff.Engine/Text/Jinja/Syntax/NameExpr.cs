namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>A variable, looked up through the scopes at render time.</summary>
internal sealed record NameExpr(string Name) : Expr;
