namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary><c>set name %}body{% endset</c>, optionally through a filter chain applied to the body.</summary>
internal sealed record SetBlockStmt(AssignTarget Target, IReadOnlyList<Stmt> Body, Expr? Filter) : Stmt;
