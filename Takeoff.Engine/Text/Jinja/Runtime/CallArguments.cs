using Takeoff.Engine.Text.Jinja.Errors;
namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>Evaluated arguments of a call, filter or test, bound Python-style: by position, else by keyword.</summary>
internal sealed class CallArguments(IReadOnlyList<object?> positional, IReadOnlyList<KeyValuePair<string, object?>> named)
{
    public static CallArguments Empty { get; } = new([], []);

    public IReadOnlyList<object?> Positional { get; } = positional;

    public IReadOnlyList<KeyValuePair<string, object?>> Named { get; } = named;

    public bool Has(int index, string name) => index < Positional.Count || Named.Any(n => n.Key == name);

    public object? Get(int index, string name, object? fallback = null)
    {
        if (index < Positional.Count)
            return Positional[index];
        foreach (var (key, value) in Named)
        {
            if (key == name)
                return value;
        }

        return fallback;
    }

    /// <summary>Python's TypeError for a call that passes more than the function takes.</summary>
    public CallArguments Check(string function, params string[] parameters)
    {
        if (Positional.Count > parameters.Length)
            throw new TemplateException(TemplateErrorKind.Runtime,
                $"{function}() takes at most {parameters.Length} argument(s) ({Positional.Count} given)");
        foreach (var (key, _) in Named)
        {
            var index = Array.IndexOf(parameters, key);
            if (index < 0)
                throw new TemplateException(TemplateErrorKind.Runtime, $"{function}() got an unexpected keyword argument '{key}'");
            if (index < Positional.Count)
                throw new TemplateException(TemplateErrorKind.Runtime, $"{function}() got multiple values for argument '{key}'");
        }

        return this;
    }
}
