namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>An expression node of the template's syntax tree.</summary>
internal abstract record Expr;
