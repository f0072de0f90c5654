namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>
/// A string marked safe by <c>|safe</c> (markupsafe's Markup). It matters for one reason: Jinja2 escapes the plain
/// string added to it with <c>+</c> (functionary v3.1 depends on that), while <c>~</c> and printing give plain text.
/// </summary>
internal sealed record Markup(string Text)
{
    public static string Escape(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal)
        .Replace("\"", "&#34;", StringComparison.Ordinal);

    /// <summary>markupsafe's escape(): a Markup stays as it is, anything else is printed then escaped.</summary>
    public static Markup From(object? value) => value as Markup ?? new Markup(Escape(Py.Str(value)));

    public override string ToString() => Text;
}
