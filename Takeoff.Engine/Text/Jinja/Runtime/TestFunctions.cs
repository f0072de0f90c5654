using Takeoff.Engine.Text.Jinja.Errors;
namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>Jinja2's tests (<c>x is defined</c>, <c>x is string</c>, ...) with Python's type rules behind them.</summary>
internal static class TestFunctions
{
    private static readonly Dictionary<string, Func<Renderer, object?, CallArguments, bool>> All = new(StringComparer.Ordinal)
    {
        ["defined"] = (_, v, _) => v is not Undefined,
        ["undefined"] = (_, v, _) => v is Undefined,
        ["none"] = (_, v, _) => v is null,
        ["boolean"] = (_, v, _) => v is bool,
        ["true"] = (_, v, _) => v is true,
        ["false"] = (_, v, _) => v is false,
        ["integer"] = (_, v, _) => v is long,
        ["float"] = (_, v, _) => v is double,
        ["number"] = (_, v, _) => Py.IsNumber(v),
        ["string"] = (_, v, _) => Py.IsString(v),
        ["mapping"] = (_, v, _) => v is PyDict,
        ["iterable"] = (_, v, _) => Py.IsIterable(v),
        // Python: anything with len() and __getitem__; Jinja2's Undefined has both.
        ["sequence"] = (_, v, _) => v is string or Markup or List<object?> or object?[] or PyDict or Undefined,
        ["callable"] = (_, v, _) => v is Callable or Undefined,
        ["sameas"] = (_, v, a) => Same(v, a.Get(0, "other")),
        ["escaped"] = (_, v, _) => v is Markup,
        // Jinja2 computes these with Python's %, whose errors (and string formatting) templates then see.
        ["odd"] = (r, v, _) => Py.Equal(Arithmetic.Binary("%", v, 2L, r.Options.MaxOutputLength), 1L),
        ["even"] = (r, v, _) => Py.Equal(Arithmetic.Binary("%", v, 2L, r.Options.MaxOutputLength), 0L),
        ["divisibleby"] = (r, v, a) => Py.Equal(Arithmetic.Binary("%", v, a.Get(0, "num"), r.Options.MaxOutputLength), 0L),
        ["lower"] = (_, v, _) => Py.Str(v) is var s && s.Any(char.IsLetter) && !s.Any(char.IsUpper),
        ["upper"] = (_, v, _) => Py.Str(v) is var s && s.Any(char.IsLetter) && !s.Any(char.IsLower),
        ["in"] = (_, v, a) => Py.Contains(a.Get(0, "seq"), v),
        ["filter"] = (_, v, _) => v is string name && Filters.Exists(name),
        ["test"] = (_, v, _) => v is string name && Exists(name),
        ["eq"] = (_, v, a) => Py.Equal(v, a.Get(0, "other")),
        ["ne"] = (_, v, a) => !Py.Equal(v, a.Get(0, "other")),
        ["lt"] = (_, v, a) => Py.Compare(v, a.Get(0, "other"), "<") < 0,
        ["le"] = (_, v, a) => Py.Compare(v, a.Get(0, "other"), "<=") <= 0,
        ["gt"] = (_, v, a) => Py.Compare(v, a.Get(0, "other"), ">") > 0,
        ["ge"] = (_, v, a) => Py.Compare(v, a.Get(0, "other"), ">=") >= 0,
    };

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["=="] = "eq", ["equalto"] = "eq", ["!="] = "ne", ["<"] = "lt", ["lessthan"] = "lt", ["<="] = "le",
        [">"] = "gt", ["greaterthan"] = "gt", [">="] = "ge",
    };

    public static bool Exists(string name) => All.ContainsKey(name) || Aliases.ContainsKey(name);

    public static bool Apply(Renderer renderer, string name, object? value, CallArguments arguments)
    {
        var key = Aliases.GetValueOrDefault(name, name);
        return All.TryGetValue(key, out var test)
            ? test(renderer, value, arguments)
            : throw new TemplateException(TemplateErrorKind.Runtime, $"No test named '{name}' found.");
    }

    /// <summary>Python's <c>is</c>: the singletons by value, everything else by identity.</summary>
    private static bool Same(object? a, object? b) => a switch
    {
        null => b is null,
        bool x => b is bool y && x == y,
        long x => b is long y && x == y,
        string x => b is string y && x == y,
        _ => ReferenceEquals(a, b),
    };
}
