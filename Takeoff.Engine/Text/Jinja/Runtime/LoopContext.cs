namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>The <c>loop</c> variable of a for loop: position, neighbours and length of the (filtered) items.</summary>
internal sealed class LoopContext(IReadOnlyList<object?> items, int depth)
{
    private object? _lastChanged = new Undefined("loop.changed has not been called");

    public int Index0 { get; set; }

    public object? Attribute(string name) => name switch
    {
        "index" => (long)Index0 + 1,
        "index0" => (long)Index0,
        "revindex" => (long)(items.Count - Index0),
        "revindex0" => (long)(items.Count - Index0 - 1),
        "first" => Index0 == 0,
        "last" => Index0 == items.Count - 1,
        "length" => (long)items.Count,
        "depth" => (long)depth,
        "depth0" => (long)depth - 1,
        "previtem" => Index0 > 0 ? items[Index0 - 1] : new Undefined("there is no previous item"),
        "nextitem" => Index0 < items.Count - 1 ? items[Index0 + 1] : new Undefined("there is no next item"),
        "cycle" => new BuiltinFunction("cycle", (_, args) => args.Positional.Count == 0
            ? throw Py.TypeError("no items for cycling given")
            : args.Positional[Index0 % args.Positional.Count]),
        "changed" => new BuiltinFunction("changed", (_, args) =>
        {
            object? value = args.Positional.ToArray();
            if (_lastChanged is not Undefined && Py.Equal(_lastChanged, value))
                return false;
            _lastChanged = value;
            return true;
        }),
        _ => Undefined.ForAttribute(this, name),
    };
}
