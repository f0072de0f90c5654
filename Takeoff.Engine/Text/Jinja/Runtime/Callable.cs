namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>Anything a template can call: a macro, a global function (range, namespace, ...) or a bound method.</summary>
internal abstract class Callable(string name)
{
    public string Name { get; } = name;

    public abstract object? Invoke(Renderer renderer, CallArguments arguments);
}
