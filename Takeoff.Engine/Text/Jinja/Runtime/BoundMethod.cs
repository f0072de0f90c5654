namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary><c>value.method</c> before it is called: <c>message.content.strip</c>, <c>tool.get</c>.</summary>
internal sealed class BoundMethod(object receiver, string name) : Callable(name)
{
    public object Receiver { get; } = receiver;

    public override object? Invoke(Renderer renderer, CallArguments arguments) => Methods.Call(renderer, Receiver, Name, arguments);
}
