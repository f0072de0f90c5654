namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>A dict display <c>{k: v}</c>, keys in source order.</summary>
internal sealed record DictExpr(IReadOnlyList<KeyValuePair<Expr, Expr>> Pairs) : Expr;
