namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary><c>for a[, b] in iter [if filter] [recursive]</c> with its optional else (runs when nothing was iterated).</summary>
internal sealed record ForStmt(IReadOnlyList<string> Targets, Expr Iterable, Expr? Filter, IReadOnlyList<Stmt> Body, IReadOnlyList<Stmt> Else, bool Recursive) : Stmt;
