namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>A statement node: what a template does, in order.</summary>
internal abstract record Stmt;
