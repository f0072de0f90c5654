using System.Text.Json;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>Which types a schema admits (<c>type</c>) and which the converter generates.</summary>
internal static class JsonSchemaTypes
{
    private static readonly Dictionary<string, JsonTypes> Names = new(StringComparer.Ordinal)
    {
        ["null"] = JsonTypes.Null,
        ["boolean"] = JsonTypes.Boolean,
        ["object"] = JsonTypes.Object,
        ["array"] = JsonTypes.Array,
        ["string"] = JsonTypes.String,
        ["number"] = JsonTypes.Number,
        ["integer"] = JsonTypes.Integer,
    };

    private static readonly (JsonTypes Type, string[] Keywords)[] Implied =
    [
        (JsonTypes.Object, ["properties", "required", "additionalProperties"]),
        (JsonTypes.Array, ["items", "prefixItems", "minItems", "maxItems"]),
        (JsonTypes.String, ["minLength", "maxLength", "pattern", "format"]),
        (JsonTypes.Number, ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]),
    ];

    /// <summary>The <c>type</c> keyword's set, or <see cref="JsonTypes.None"/> when the schema has none.</summary>
    public static JsonTypes Declared(JsonElement schema, string path)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type))
            return JsonTypes.None;
        var keyword = JsonSchemaPath.Keyword(path, "type");
        if (type.ValueKind == JsonValueKind.String)
            return Parse(type.GetString()!, keyword);
        if (type.ValueKind != JsonValueKind.Array || type.GetArrayLength() == 0)
            throw new ConstraintException("'type' must be a type name or a non-empty list of them", keyword);
        var types = JsonTypes.None;
        foreach (var item in type.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw new ConstraintException("'type' must be a type name or a non-empty list of them", keyword);
            types |= Parse(item.GetString()!, keyword);
        }
        return types;
    }

    /// <summary>
    /// The types to generate: <c>type</c> when present, else the types whose keywords the schema uses (a schema with
    /// <c>properties</c> generates objects, though JSON Schema would let any non-object through), else all.
    /// </summary>
    public static JsonTypes Generated(JsonElement schema, string path)
    {
        var declared = Declared(schema, path);
        if (declared != JsonTypes.None)
            return declared;
        var implied = JsonTypes.None;
        foreach (var (type, keywords) in Implied)
        {
            if (keywords.Any(k => schema.TryGetProperty(k, out _)))
                implied |= type;
        }
        return implied == JsonTypes.None ? JsonTypes.All : implied;
    }

    /// <summary>The type of one JSON value; a number with an integral value is an integer.</summary>
    public static JsonTypes Of(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => JsonTypes.Null,
        JsonValueKind.True or JsonValueKind.False => JsonTypes.Boolean,
        JsonValueKind.Object => JsonTypes.Object,
        JsonValueKind.Array => JsonTypes.Array,
        JsonValueKind.String => JsonTypes.String,
        _ => IsIntegral(value) ? JsonTypes.Integer : JsonTypes.Number,
    };

    /// <summary>Whether <paramref name="value"/> belongs to one of <paramref name="types"/> (integers are numbers too).</summary>
    public static bool Admits(JsonTypes types, JsonElement value)
    {
        var type = Of(value);
        return (types & type) != 0 || (type == JsonTypes.Integer && types.HasFlag(JsonTypes.Number));
    }

    private static bool IsIntegral(JsonElement number) =>
        number.TryGetDecimal(out var value) ? decimal.Truncate(value) == value : double.IsInteger(number.GetDouble());

    private static JsonTypes Parse(string name, string keyword) =>
        Names.TryGetValue(name, out var type) ? type : throw new ConstraintException($"'{name}' is not a JSON Schema type", keyword);
}
