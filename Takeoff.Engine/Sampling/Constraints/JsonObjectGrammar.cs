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
            slots.Add(new JsonObjectSlot(KeyValue(rules, propertyHint, property.Name, value), isRequired ? JsonObjectSlotKind.Required : JsonObjectSlotKind.Optional));
        }
        foreach (var name in required.Where(r => properties.All(p => p.Name != r)))
        {
            if (hasAdditional && additional.ValueKind == JsonValueKind.False)
                throw new ConstraintException($"required property '{name}' is not in 'properties' and additionalProperties is false: no object is valid",
                    JsonSchemaPath.Keyword(path, "required"));
            names.Add(name);
            var propertyHint = hint == "root" ? name : $"{hint}-{name}";
            slots.Add(new JsonObjectSlot(KeyValue(rules, propertyHint, name, AdditionalValue()), JsonObjectSlotKind.Required));
        }
        if (allowAdditional)
        {
            var key = names.Count == 0
                ? JsonPrimitives.Use(rules, "string")
                : $"\"\\\"\" {JsonKeyExclusion.Content(names, JsonPrimitives.Use(rules, "key-char"), rules, $"{hint}-additional-key")} \"\\\"\" space";
            var keyValue = rules.Add($"{hint}-additional-kv", $"{key} \":\" space {AdditionalValue()}");
            slots.Add(new JsonObjectSlot(keyValue, JsonObjectSlotKind.Repeated));
        }

        var members = Members(slots, rules, hint);
        return members.Length == 0 ? "\"{\" space \"}\" space" : $"\"{{\" space {members} \"}}\" space";
    }

    private static string KeyValue(GbnfRuleSet rules, string hint, string name, string value) =>
        rules.Add($"{hint}-kv", $"{GbnfText.Literal(JsonLiteral.String(name))} space \":\" space {value}");

    private static bool IsTrue(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.True || (schema.ValueKind == JsonValueKind.Object && !schema.EnumerateObject().Any(p => JsonSchemaKeywords.Constrains(p.Name)));

    /// <summary>
    /// After the first member every member is preceded by a comma, so the members are a choice of which comes first
    /// (any optional one before the first required one), followed by the rest in order: ("," a)? "," b ("," c)* ...
    /// Past <see cref="GbnfTrie.FlatAlternatives"/> members that choice is written as a chain instead (<see cref="Chain"/>).
    /// </summary>
    private static string Members(List<JsonObjectSlot> slots, GbnfRuleSet rules, string hint)
    {
        if (slots.Count > GbnfTrie.FlatAlternatives)
            return Chain(slots, rules, hint);
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

    /// <summary>
    /// Many members as one rule per member, in linear size: next_i ::= kv_i ( "," space next_i+1 )? | next_i+1 (the
    /// second alternative only when member i may be left out, the comma group optional only when every member after
    /// i may). Writing each choice's rest out in full made n optional properties n²/2 members long (2,000 of them: 2
    /// million, a gigabyte of RSS before the parser refused them); a rule per rest as llama.cpp's converter writes
    /// them (rest_i ::= ( "," kv_i )? rest_i+1) is linear too, but holds a stack per later key at every comma (times
    /// three ways to start whitespace), where this holds one until the comma is written.
    /// </summary>
    private static string Chain(List<JsonObjectSlot> slots, GbnfRuleSet rules, string hint)
    {
        var count = slots.Count;
        var optionalFrom = new bool[count + 1];
        optionalFrom[count] = true;
        for (var i = count - 1; i >= 0; i--)
            optionalFrom[i] = slots[i].Kind != JsonObjectSlotKind.Required && optionalFrom[i + 1];

        // Defined from the end, each naming the next: no recursion however many members. Hints are distinct, so that
        // naming stays linear too (GbnfRuleSet numbers clashing names one by one).
        string? next = null;
        for (var i = count - 1; i >= 0; i--)
        {
            var slot = slots[i];
            var repeat = slot.Kind == JsonObjectSlotKind.Repeated ? $" ( \",\" space {slot.KeyValue} )*" : "";
            var rest = next is null ? "" : optionalFrom[i + 1] ? $" ( \",\" space {next} )?" : $" \",\" space {next}";
            var body = $"{slot.KeyValue}{repeat}{rest}";
            if (slot.Kind != JsonObjectSlotKind.Required && next is not null)
                body += $" | {next}";
            next = rules.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{hint}-next-{i}"), body);
        }
        return optionalFrom[0] ? $"{next}?" : next!;
    }

    private static IEnumerable<string> After(List<JsonObjectSlot> slots, int from) =>
        slots.Skip(from).Select(slot => slot.Kind switch
        {
            JsonObjectSlotKind.Required => $"\",\" space {slot.KeyValue}",
            JsonObjectSlotKind.Optional => $"( \",\" space {slot.KeyValue} )?",
            _ => $"( \",\" space {slot.KeyValue} )*",
        });
}
