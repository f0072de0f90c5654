namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary><c>{{ expr }}</c>.</summary>
internal sealed record OutputStmt(Expr Expr) : Stmt;
