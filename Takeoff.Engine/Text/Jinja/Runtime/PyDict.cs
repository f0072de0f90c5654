using Takeoff.Engine.Text.Jinja.Errors;
namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>A Python dict: insertion-ordered, keys compared as Python compares them (<c>1 == 1.0 == True</c>).</summary>
internal sealed class PyDict : OrderedDictionary<object, object?>
{
    public PyDict() : base(PyKeyComparer.Instance) { }

    public static object Key(object? key) => key switch
    {
        null => throw new TemplateException(TemplateErrorKind.Runtime, "None as a dict key is not supported"),
        List<object?> or PyDict => throw new TemplateException(TemplateErrorKind.Runtime, $"unhashable type: '{Py.TypeName(key)}'"),
        Markup m => m.Text,
        _ => key,
    };
}
