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
    /// When several members may come first, each rest is a rule that names the next (rest_i ::= ("," kv_i)? rest_i+1),
    /// as llama.cpp's converter writes them: writing each rest out in full made n optional properties n²/2 members
    /// long (2,000 of them: 2 million, hundreds of megabytes before the parser refused them).
    /// </summary>
    private static string Members(List<JsonObjectSlot> slots, GbnfRuleSet rules, string hint)
    {
        var count = 0;
        while (count < slots.Count && (count == 0 || slots[count - 1].Kind != JsonObjectSlotKind.Required))
            count++;
        if (count == 0)
            return "";

        var rests = new string?[slots.Count + 1];
        string Rest(int from)
        {
            if (count == 1)
                return string.Join(" ", After(slots, from));
            if (from == slots.Count)
                return "";
            if (rests[from] is { } name)
                return name;
            // Defined from the end, so that no chain of Rest calls recurses thousands deep.
            for (var i = slots.Count - 1; i >= from; i--)
                rests[i] ??= rules.Add($"{hint}-rest", $"{Member(slots[i])} {rests[i + 1]}".TrimEnd());
            return rests[from]!;
        }

        var firsts = new List<string>();
        for (var i = 0; i < count; i++)
            firsts.Add($"{slots[i].KeyValue} {Rest(slots[i].Kind == JsonObjectSlotKind.Repeated ? i : i + 1)}".TrimEnd());
        var mandatory = slots[count - 1].Kind == JsonObjectSlotKind.Required;
        if (firsts.Count == 1)
            return mandatory ? firsts[0] : $"( {firsts[0]} )?";
        if (mandatory)
            return $"( {string.Join(" | ", firsts)} )";
        // A rule, not a quantified group: llama.cpp refuses a quantified group once the names first seen inside it
        // reach 2,000, and each choice names its rest.
        return rules.Add($"{hint}-members", string.Join(" | ", firsts)) + "?";
    }

    private static IEnumerable<string> After(List<JsonObjectSlot> slots, int from) => slots.Skip(from).Select(Member);

    private static string Member(JsonObjectSlot slot) => slot.Kind switch
    {
        JsonObjectSlotKind.Required => $"\",\" space {slot.KeyValue}",
        JsonObjectSlotKind.Optional => $"( \",\" space {slot.KeyValue} )?",
        _ => $"( \",\" space {slot.KeyValue} )*",
    };
}
