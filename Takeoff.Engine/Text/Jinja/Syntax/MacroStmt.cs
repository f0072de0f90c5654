namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>A macro definition. Jinja2 only accepts extra positional or keyword arguments when the body reads <c>varargs</c> or <c>kwargs</c>.</summary>
internal sealed record MacroStmt(string Name, IReadOnlyList<MacroParameter> Parameters, IReadOnlyList<Stmt> Body, bool UsesVarargs, bool UsesKwargs) : Stmt;
