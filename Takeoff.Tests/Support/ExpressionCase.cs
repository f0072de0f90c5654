namespace Takeoff.Tests.Support;

/// <summary>One random expression of Golden/expressions.json and what Jinja2 made of it: an output or an error.</summary>
internal sealed record ExpressionCase(int Index, string Source, string? Output, string? ErrorType, string? ErrorMessage)
{
    public override string ToString() => $"#{Index}";
}
