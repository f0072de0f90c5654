namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>A global function of the environment, such as <c>range</c> or <c>raise_exception</c>.</summary>
internal sealed class BuiltinFunction(string name, Func<Renderer, CallArguments, object?> body) : Callable(name)
{
    public override object? Invoke(Renderer renderer, CallArguments arguments) => body(renderer, arguments);
}
