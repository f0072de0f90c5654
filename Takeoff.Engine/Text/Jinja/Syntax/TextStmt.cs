namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>Literal template text, already whitespace-controlled by the lexer.</summary>
internal sealed record TextStmt(string Text) : Stmt;
