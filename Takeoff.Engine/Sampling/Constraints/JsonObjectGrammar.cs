namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// The members of an object, in declaration order, with optional ones omissible. After the first member every
/// member is preceded by a comma, so the body is a choice of which member comes first (any optional one before
/// the first required one), followed by the rest in order: ("," a)? "," b ("," c)* ...
/// </summary>
internal static class JsonObjectGrammar
{
    public static string Body(IReadOnlyList<JsonObjectSlot> slots)
    {
        var firsts = new List<string>();
        var mandatory = false;
        for (var i = 0; i < slots.Count && !mandatory; i++)
        {
            var restFrom = slots[i].Kind == JsonObjectSlotKind.Repeated ? i : i + 1;
            firsts.Add(string.Join(" ", new[] { slots[i].KeyValue }.Concat(After(slots, restFrom))));
            mandatory = slots[i].Kind == JsonObjectSlotKind.Required;
        }
        if (firsts.Count == 0)
            return "";
        var choice = firsts.Count == 1 ? firsts[0] : $"( {string.Join(" | ", firsts)} )";
        return mandatory ? choice : firsts.Count == 1 ? $"( {choice} )?" : $"{choice}?";
    }

    private static IEnumerable<string> After(IReadOnlyList<JsonObjectSlot> slots, int from) =>
        slots.Skip(from).Select(slot => slot.Kind switch
        {
            JsonObjectSlotKind.Required => $"\",\" space {slot.KeyValue}",
            JsonObjectSlotKind.Optional => $"( \",\" space {slot.KeyValue} )?",
            _ => $"( \",\" space {slot.KeyValue} )*",
        });
}
