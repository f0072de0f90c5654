namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary><c>if</c>; an <c>elif</c> is a nested if in the else branch.</summary>
internal sealed record IfStmt(Expr Test, IReadOnlyList<Stmt> Body, IReadOnlyList<Stmt> Else) : Stmt;
