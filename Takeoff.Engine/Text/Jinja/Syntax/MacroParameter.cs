namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>A macro parameter and its default (evaluated at call time, as Jinja2 does).</summary>
internal sealed record MacroParameter(string Name, Expr? Default);
