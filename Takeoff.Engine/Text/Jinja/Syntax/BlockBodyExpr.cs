namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>Stands for the rendered body of a filter block, the value its filter chain starts from.</summary>
internal sealed record BlockBodyExpr : Expr;
