namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>
/// <c>namespace(...)</c>: the one object a template may change from inside a loop (<c>set ns.x = ...</c>), since a
/// plain <c>set</c> in a loop body does not outlive the iteration.
/// </summary>
internal sealed class Namespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}
