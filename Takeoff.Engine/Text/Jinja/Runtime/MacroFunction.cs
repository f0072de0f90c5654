using Takeoff.Engine.Text.Jinja.Syntax;

namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>A macro with the frame it was defined in: it reads that frame's variables as they are when it is called.</summary>
internal sealed class MacroFunction(MacroStmt definition, Scope closure) : Callable(definition.Name)
{
    public override object? Invoke(Renderer renderer, CallArguments arguments) => renderer.CallMacro(definition, closure, arguments);
}
