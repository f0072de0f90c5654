namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary><c>f(args)</c>: a macro, a global function or a method of a string, list or dict.</summary>
internal sealed record CallExpr(Expr Callee, Arguments Arguments) : Expr;
