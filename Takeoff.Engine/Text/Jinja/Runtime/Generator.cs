namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>
/// What Jinja2's <c>map</c>, <c>select</c>, <c>reject</c>, <c>selectattr</c> and <c>rejectattr</c> return: a Python
/// generator. Templates see the difference: it is always truthy, has no length, is not JSON, and a second pass over
/// it yields nothing. The items are computed at once (they are bounded by the source list).
/// </summary>
internal sealed class Generator(List<object?> items)
{
    private bool _consumed;

    public IEnumerable<object?> Consume()
    {
        if (_consumed)
            return [];
        _consumed = true;
        return items;
    }
}
