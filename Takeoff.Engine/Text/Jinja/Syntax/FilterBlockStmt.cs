namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary><c>filter name %}body{% endfilter</c>: the body's output goes through the filter chain.</summary>
internal sealed record FilterBlockStmt(Expr Filter, IReadOnlyList<Stmt> Body) : Stmt;
