namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>A comparison chain <c>a &lt; b &lt;= c</c>, including <c>in</c> and <c>not in</c>.</summary>
internal sealed record CompareExpr(Expr Left, IReadOnlyList<KeyValuePair<string, Expr>> Operations) : Expr;
