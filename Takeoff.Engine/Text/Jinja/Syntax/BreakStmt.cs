namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary><c>break</c> (jinja2.ext.loopcontrols).</summary>
internal sealed record BreakStmt : Stmt;
