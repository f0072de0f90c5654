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

    public static Undefined ForAttribute(object? target, string name) =>
        new($"{(target is null ? "'None'" : $"'{Py.TypeName(target)} object'")} has no attribute '{name}'");

    public static Undefined ForItem(object? target, object? key) => key is string name
        ? ForAttribute(target, name)
        : new($"{(target is null ? "None" : $"{Py.TypeName(target)} object")} has no element {Py.Repr(key)}");

    public TemplateException Error() => new(TemplateErrorKind.Runtime, Message);
}
