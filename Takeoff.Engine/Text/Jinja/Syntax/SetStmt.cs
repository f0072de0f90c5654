namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary><c>set target = expr</c>.</summary>
internal sealed record SetStmt(AssignTarget Target, Expr Value) : Stmt;
