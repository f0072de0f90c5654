namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary><c>x.name</c>: attribute first, then item, as Jinja2's getattr.</summary>
internal sealed record AttributeExpr(Expr Target, string Name) : Expr;
