namespace Takeoff.Engine.Text.Jinja.Errors;

/// <summary>
/// The one error a template parse or render throws. For <see cref="TemplateErrorKind.Raised"/> the message is exactly
/// what the template passed to <c>raise_exception</c>, so it can go back to the client unchanged.
/// </summary>
public sealed class TemplateException : Exception
{
    public TemplateException(TemplateErrorKind kind, string message) : base(message) => Kind = kind;

    public TemplateException(TemplateErrorKind kind, string message, Exception inner) : base(message, inner) => Kind = kind;

    public TemplateException() : this(TemplateErrorKind.Runtime, "Template error.") { }

    public TemplateException(string message) : this(TemplateErrorKind.Runtime, message) { }

    public TemplateException(string message, Exception inner) : this(TemplateErrorKind.Runtime, message, inner) { }

    public TemplateErrorKind Kind { get; }
}
