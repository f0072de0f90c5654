using Takeoff.Engine.Text.Jinja.Errors;
namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>
/// Jinja2's default <c>Undefined</c>: prints empty, is falsy, iterates empty, has length 0 and equals only another
/// undefined; anything else done with it (attribute, item, arithmetic, call) is an error carrying <see cref="Message"/>,
/// worded as Jinja2 words it.
/// </summary>
internal sealed class Undefined(string message)
{
    public string Message { get; } = message;

    public static Undefined ForName(string name) => new($"'{name}' is undefined");

    public static Undefined ForAttribute(object? target, string name) => new($"'{ObjectType(target)}' has no attribute '{name}'");

    public static Undefined ForItem(object? target, object? key) => key is string name
        ? ForAttribute(target, name)
        : new($"{ObjectType(target)} has no element {Py.Repr(key)}");

    /// <summary>Jinja2's object_type_repr: builtins by name ("dict object"), its own types with their module.</summary>
    private static string ObjectType(object? target) => target switch
    {
        null => "None",
        Markup => "markupsafe.Markup object",
        Undefined => "jinja2.runtime.Undefined object",
        Namespace => "jinja2.utils.Namespace object",
        LoopContext => "jinja2.runtime.LoopContext object",
        MacroFunction => "jinja2.runtime.Macro object",
        _ => $"{Py.TypeName(target)} object",
    };

    public TemplateException Error() => new(TemplateErrorKind.Runtime, Message);
}
