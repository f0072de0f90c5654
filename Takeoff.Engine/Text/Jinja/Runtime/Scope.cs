namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>
/// Variables of one frame, read through the chain of enclosing frames. Jinja2's scoping: each loop iteration and each
/// macro call gets its own frame, so a plain <c>set</c> there does not outlive it; <c>if</c> shares its frame.
/// </summary>
internal sealed class Scope(Scope? parent)
{
    private readonly Dictionary<string, object?> _variables = new(StringComparer.Ordinal);

    public bool TryGet(string name, out object? value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._variables.TryGetValue(name, out value))
                return true;
        }

        value = null;
        return false;
    }

    public Scope? Parent { get; } = parent;

    public void Set(string name, object? value) => _variables[name] = value;
}
