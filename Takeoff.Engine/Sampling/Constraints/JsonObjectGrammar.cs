using System.Text.Json;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// Objects: the declared properties in declaration order, optional ones omissible, then additional properties
/// when allowed (see <see cref="JsonSchemaGrammar"/>), under keys that are none of the declared names.
/// </summary>
internal static class JsonObjectGrammar
{
    public static string Body(JsonElement schema, string path, string hint, GbnfRuleSet rules, Func<JsonElement, string, string, string> symbol)
    {
        var properties = JsonSchemaValues.Properties(schema, path);
        var required = JsonSchemaValues.Required(schema, path);
        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        if (hasAdditional)
            JsonSchemaValues.RequireSchema(additional, JsonSchemaPath.Keyword(path, "additionalProperties"));
        var additionalIsTrue = hasAdditional && IsTrue(additional);
        var declared = properties.Count > 0 || required.Count > 0;

        // As llama.cpp: without 'additionalProperties', an object with declared properties generates only those.
        var allowAdditional = hasAdditional ? additional.ValueKind != JsonValueKind.False : !declared;
        if (!declared && allowAdditional && (!hasAdditional || additionalIsTrue))
            return JsonPrimitives.Use(rules, "object");
        string? additionalValue = null;
        string AdditionalValue() => additionalValue ??= hasAdditional && !additionalIsTrue
            ? symbol(additional, JsonSchemaPath.Keyword(path, "additionalProperties"), $"{hint}-additional")
            : JsonPrimitives.Use(rules, "value");

        JsonPrimitives.Use(rules, "space");
        var many = properties.Count(p => p.Value.ValueKind != JsonValueKind.False)
            + required.Count(r => properties.All(p => p.Name != r)) + (allowAdditional ? 1 : 0) > GbnfTrie.FlatAlternatives;
        JsonObjectSlot Slot(string propertyHint, string name, string value, JsonObjectSlotKind kind) => many
            ? new JsonObjectSlot(null, kind, JsonLiteral.String(name), value)
            : new JsonObjectSlot(KeyValue(rules, propertyHint, name, value), kind);
        var slots = new List<JsonObjectSlot>();
        var names = new List<string>();
        foreach (var property in properties)
        {
            names.Add(property.Name);
            var isRequired = required.Contains(property.Name);
            var propertyPath = JsonSchemaPath.Keyword(path, $"properties.{property.Name}");
            if (property.Value.ValueKind == JsonValueKind.False)
            {
                if (isRequired)
                    throw new ConstraintException($"required property '{property.Name}' has the schema false: no object is valid", propertyPath);
                continue;
            }
            var propertyHint = hint == "root" ? property.Name : $"{hint}-{property.Name}";
            var value = symbol(property.Value, propertyPath, propertyHint);
            slots.Add(Slot(propertyHint, property.Name, value, isRequired ? JsonObjectSlotKind.Required : JsonObjectSlotKind.Optional));
        }
        foreach (var name in required.Where(r => properties.All(p => p.Name != r)))
        {
            if (hasAdditional && additional.ValueKind == JsonValueKind.False)
                throw new ConstraintException($"required property '{name}' is not in 'properties' and additionalProperties is false: no object is valid",
                    JsonSchemaPath.Keyword(path, "required"));
            names.Add(name);
            var propertyHint = hint == "root" ? name : $"{hint}-{name}";
            slots.Add(Slot(propertyHint, name, AdditionalValue(), JsonObjectSlotKind.Required));
        }
        if (allowAdditional)
        {
            var key = names.Count == 0
                ? JsonPrimitives.Use(rules, "string")
                : $"\"\\\"\" {JsonKeyExclusion.Content(names, JsonPrimitives.Use(rules, "key-char"), rules, $"{hint}-additional-key")} \"\\\"\" space";
            var keyValue = rules.Add($"{hint}-additional-kv", $"{key} \":\" space {AdditionalValue()}");
            slots.Add(new JsonObjectSlot(keyValue, JsonObjectSlotKind.Repeated));
        }

        var members = many ? Many(slots, rules, hint) : Members(slots);
        return members.Length == 0 ? "\"{\" space \"}\" space" : $"\"{{\" space {members} \"}}\" space";
    }

    private static string KeyValue(GbnfRuleSet rules, string hint, string name, string value) =>
        rules.Add($"{hint}-kv", $"{GbnfText.Literal(JsonLiteral.String(name))} space \":\" space {value}");

    private static bool IsTrue(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.True || (schema.ValueKind == JsonValueKind.Object && !schema.EnumerateObject().Any(p => JsonSchemaKeywords.Constrains(p.Name)));

    /// <summary>
    /// After the first member every member is preceded by a comma, so the members are a choice of which comes first
    /// (any optional one before the first required one), followed by the rest in order: ("," a)? "," b ("," c)* ...
    /// </summary>
    private static string Members(List<JsonObjectSlot> slots)
    {
        var firsts = new List<string>();
        var mandatory = false;
        for (var i = 0; i < slots.Count && !mandatory; i++)
        {
            var restFrom = slots[i].Kind == JsonObjectSlotKind.Repeated ? i : i + 1;
            firsts.Add(string.Join(" ", new[] { slots[i].KeyValue! }.Concat(After(slots, restFrom))));
            mandatory = slots[i].Kind == JsonObjectSlotKind.Required;
        }
        if (firsts.Count == 0)
            return "";
        var choice = firsts.Count == 1 ? firsts[0] : $"( {string.Join(" | ", firsts)} )";
        return mandatory ? choice : firsts.Count == 1 ? $"( {choice} )?" : $"{choice}?";
    }

    private static IEnumerable<string> After(List<JsonObjectSlot> slots, int from) =>
        slots.Skip(from).Select(slot => slot.Kind switch
        {
            JsonObjectSlotKind.Required => $"\",\" space {slot.KeyValue}",
            JsonObjectSlotKind.Optional => $"( \",\" space {slot.KeyValue} )?",
            _ => $"( \",\" space {slot.KeyValue} )*",
        });

    /// <summary>
    /// Many members (over <see cref="GbnfTrie.FlatAlternatives"/>), in O(n log n) size and with few parse stacks.
    /// Writing each choice of the first member's rest out in full (<see cref="Members"/>) made n optional properties
    /// n²/2 members long (2,000: 2 million, a gigabyte of RSS before the parser refused them). llama.cpp's own
    /// converter writes a rule per rest (rest_i ::= ( "," kv_i )? rest_i+1): linear, but after each comma llama.cpp
    /// then holds a stack per key that may come next, and tests every token against each (2,000 keys: 30 ms a token
    /// on a 512-token vocabulary, measured; proportionally more on real ones). Here the keys that may come next
    /// (from member m up to the first required one) are the union of O(log n) ranges of a segment tree, each range a
    /// trie of its keys whose leaves lead to the value and what may follow it: a few stacks per distinct character.
    /// </summary>
    private static string Many(List<JsonObjectSlot> slots, GbnfRuleSet rules, string hint)
    {
        // The repeated slot (additional properties), if any, is last; the declared members come before it.
        var repeated = slots[^1].Kind == JsonObjectSlotKind.Repeated ? slots[^1] : null;
        var count = repeated is null ? slots.Count : slots.Count - 1;
        var optionalFrom = new bool[slots.Count + 1];
        optionalFrom[slots.Count] = true;
        for (var i = slots.Count - 1; i >= 0; i--)
            optionalFrom[i] = slots[i].Kind != JsonObjectSlotKind.Required && optionalFrom[i + 1];
        var firstRequiredFrom = new int[count + 1];
        firstRequiredFrom[count] = -1;
        for (var i = count - 1; i >= 0; i--)
            firstRequiredFrom[i] = slots[i].Kind == JsonObjectSlotKind.Required ? i : firstRequiredFrom[i + 1];

        var additional = repeated is null ? null
            : rules.Add($"{hint}-additional-members", $"{repeated.KeyValue} ( \",\" space {repeated.KeyValue} )*");
        var tails = new string[count];
        var ranges = new Dictionary<(int, int), string>();
        var ups = new Dictionary<(int, int), string?>();

        // Members from m on: a key from m to the first required one, or additional properties when no required one
        // is left. The keys are those of the leaf m of a segment tree over that group (from the member after the
        // previous required one to the next required one), then those of every right sibling on the way up
        // (Up): O(log n) tries, each rule of constant size. Rules are made from the last member back, so each names
        // only rules already written.
        string? Next(int m)
        {
            var options = new List<string>();
            if (m < count)
            {
                var high = firstRequiredFrom[m] >= 0 ? firstRequiredFrom[m] : count - 1;
                var low = m;
                while (low > 0 && slots[low - 1].Kind != JsonObjectSlotKind.Required)
                    low--;
                // The leaf's own key, written in place: one key is one literal.
                options.Add($"{GbnfText.Literal(slots[m].Key!)} {tails[m]}");
                if (Up(low, high, m, m) is { } up)
                    options.Add(up);
            }
            if (additional is not null && (m == count || firstRequiredFrom[m] < 0))
                options.Add(additional);
            return options.Count switch
            {
                0 => null,
                _ => rules.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{hint}-n{m}"), string.Join(" | ", options)),
            };
        }

        // The keys right of the node (from, to) within the tree over (low, high): its right sibling's, then its parent's Up.
        string? Up(int low, int high, int from, int to)
        {
            if (from == low && to == high)
                return null;
            if (ups.TryGetValue((from, to), out var known))
                return known;
            // Find the parent by descending from the root.
            int parentLow = low, parentHigh = high;
            while (true)
            {
                var middle = (parentLow + parentHigh) / 2;
                if ((from, to) == (parentLow, middle) || (from, to) == (middle + 1, parentHigh))
                    break;
                if (to <= middle)
                    parentHigh = middle;
                else
                    parentLow = middle + 1;
            }
            var parentMiddle = (parentLow + parentHigh) / 2;
            var options = new List<string>();
            if (to == parentMiddle)
                options.Add(Range(parentMiddle + 1, parentHigh));
            if (Up(low, high, parentLow, parentHigh) is { } above)
                options.Add(above);
            var up = options.Count switch
            {
                0 => null,
                1 => options[0],
                _ => rules.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{hint}-u{from}-{to}"), string.Join(" | ", options)),
            };
            ups[(from, to)] = up;
            return up;
        }

        string Range(int low, int high)
        {
            if (!ranges.TryGetValue((low, high), out var name))
            {
                var keys = Enumerable.Range(low, high - low + 1)
                    .Select(k => ((IReadOnlyList<int>)[.. slots[k].Key!.EnumerateRunes().Select(r => r.Value)], tails[k]));
                var label = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{hint}-k{low}-{high}");
                name = rules.Add(label, GbnfTrie.Alternation(keys, rules, label));
                ranges[(low, high)] = name;
            }
            return name;
        }

        for (var j = count - 1; j >= 0; j--)
        {
            var next = Next(j + 1);
            var rest = next is null ? "" : optionalFrom[j + 1] ? $" ( \",\" space {next} )?" : $" \",\" space {next}";
            tails[j] = rules.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{hint}-t{j}"),
                $"space \":\" space {slots[j].Value}{rest}");
        }
        var first = Next(0)!;
        return optionalFrom[0] ? $"{first}?" : first;
    }
}
