using System.Text.Json;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>Reads keyword values, refusing the malformed ones (a broken schema is the client's mistake, not a crash).</summary>
internal static class JsonSchemaValues
{
    public static bool Has(JsonElement schema, string keyword) => schema.TryGetProperty(keyword, out _);

    public static int? Count(JsonElement schema, string keyword, string path)
    {
        if (!schema.TryGetProperty(keyword, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number) || number < 0 || decimal.Truncate(number) != number)
            throw new ConstraintException($"'{keyword}' must be a non-negative integer", JsonSchemaPath.Keyword(path, keyword));
        return number > int.MaxValue ? int.MaxValue : (int)number;
    }

    public static string? Text(JsonElement schema, string keyword, string path)
    {
        if (!schema.TryGetProperty(keyword, out var value))
            return null;
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new ConstraintException($"'{keyword}' must be a string", JsonSchemaPath.Keyword(path, keyword));
    }

    public static decimal? Number(JsonElement schema, string keyword, string path)
    {
        if (!schema.TryGetProperty(keyword, out var value))
            return null;
        var where = JsonSchemaPath.Keyword(path, keyword);
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            throw new ConstraintException($"'{keyword}' as a boolean is draft-04 syntax: give the bound itself", where);
        if (value.ValueKind != JsonValueKind.Number)
            throw new ConstraintException($"'{keyword}' must be a number", where);
        return value.TryGetDecimal(out var number)
            ? number
            : throw new ConstraintException($"'{keyword}' is too large to enforce", where);
    }

    public static IReadOnlyList<JsonElement> Schemas(JsonElement schema, string keyword, string path)
    {
        if (!schema.TryGetProperty(keyword, out var value))
            return [];
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
            throw new ConstraintException($"'{keyword}' must be a non-empty array of schemas", JsonSchemaPath.Keyword(path, keyword));
        return [.. value.EnumerateArray()];
    }

    public static IReadOnlyList<string> Required(JsonElement schema, string path)
    {
        if (!schema.TryGetProperty("required", out var value))
            return [];
        var where = JsonSchemaPath.Keyword(path, "required");
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
            throw new ConstraintException("'required' must be an array of property names", where);
        var names = value.EnumerateArray().Select(v => v.GetString()!).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            throw new ConstraintException("'required' lists a property twice", where);
        return names;
    }

    public static IReadOnlyList<JsonProperty> Properties(JsonElement schema, string path)
    {
        if (!schema.TryGetProperty("properties", out var value))
            return [];
        return value.ValueKind == JsonValueKind.Object
            ? [.. value.EnumerateObject()]
            : throw new ConstraintException("'properties' must be an object", JsonSchemaPath.Keyword(path, "properties"));
    }

    /// <summary>
    /// Refuses strings and property names that are not valid Unicode (lone surrogate escapes such as "\ud800"):
    /// System.Text.Json cannot read them as .NET strings, and no UTF-8 output could contain them.
    /// </summary>
    public static void RequireValidText(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                if (!Readable(() => value.GetString()))
                    throw new ConstraintException("the schema contains a string that is not valid Unicode (a lone surrogate escape)", path.Length == 0 ? null : path);
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    if (!Readable(() => property.Name))
                        throw new ConstraintException("the schema contains a property name that is not valid Unicode (a lone surrogate escape)", path.Length == 0 ? null : path);
                    RequireValidText(property.Value, JsonSchemaPath.Keyword(path, property.Name));
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                    RequireValidText(item, JsonSchemaPath.Keyword(path, (index++).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                break;
        }
    }

    private static bool Readable(Func<string?> read)
    {
        try
        {
            _ = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A subschema must be an object or a boolean.</summary>
    public static void RequireSchema(JsonElement schema, string path)
    {
        if (schema.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
            throw new ConstraintException("a schema must be an object or a boolean", path.Length == 0 ? null : path);
    }
}
