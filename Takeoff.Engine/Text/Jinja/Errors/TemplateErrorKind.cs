namespace Takeoff.Engine.Text.Jinja.Errors;

/// <summary>Why a template failed: the caller maps a template's own refusal to a 400 and the rest to a broken template.</summary>
public enum TemplateErrorKind
{
    /// <summary>The source is not a template this engine (or Jinja2) accepts.</summary>
    Syntax,

    /// <summary>Rendering failed the way Jinja2 would fail: an undefined value used, a type error, an unknown filter.</summary>
    Runtime,

    /// <summary>The template called <c>raise_exception(message)</c>; the message is the template's own, verbatim.</summary>
    Raised,

    /// <summary>A sandbox limit was reached: loop iterations, call depth, nesting or output size.</summary>
    Limit,
}
