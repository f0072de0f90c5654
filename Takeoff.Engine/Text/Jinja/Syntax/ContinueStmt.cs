namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary><c>continue</c> (jinja2.ext.loopcontrols).</summary>
internal sealed record ContinueStmt : Stmt;
