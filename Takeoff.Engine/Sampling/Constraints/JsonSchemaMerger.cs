using System.Text.Json;
using System.Text.Json.Nodes;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// <c>allOf</c> (and <c>$ref</c> with sibling keywords) as one schema: keyword by keyword, the conjunction.
/// Properties merge (a property in several parts gets the allOf of its schemas, and a part's additionalProperties
/// applies to the properties other parts declare), required lists unite, types and enums intersect, the stricter
/// bound wins, and anyOf parts distribute (allOf[A, anyOf[B, C]] = anyOf[allOf[A, B], allOf[A, C]]). What has no
/// such conjunction (two different patterns or formats, several oneOf) is refused.
/// </summary>
/// <param name="expanding">Whether a pointer's rule is being written: merging it in would unroll the recursion forever.</param>
internal sealed class JsonSchemaMerger(JsonSchemaRefs refs, Func<string, bool> expanding)
{
    private const int MaxDepth = 64;
    private const int MaxCombinations = 64;

    private static readonly HashSet<string> Lower = new(StringComparer.Ordinal) { "minLength", "minItems", "minimum", "exclusiveMinimum" };
    private static readonly HashSet<string> Upper = new(StringComparer.Ordinal) { "maxLength", "maxItems", "maximum", "exclusiveMaximum" };

    public JsonElement Merge(IEnumerable<(JsonElement Schema, string Path)> parts, string path)
    {
        var flat = new List<(JsonElement Schema, string Path)>();
        foreach (var (schema, partPath) in parts)
            Flatten(schema, partPath, flat, 0);
        var where = JsonSchemaPath.Keyword(path, "allOf");

        var merged = new JsonObject();
        var types = JsonTypes.None;
        var properties = new Dictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        var propertyOrder = new List<string>();
        var declaredBy = flat.Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToList();
        var required = new List<string>();
        var additional = new List<(int Part, JsonElement Schema)>();
        var items = new List<JsonElement>();
        var prefixItems = new List<JsonElement>();
        var enums = new List<List<JsonElement>>();
        var texts = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var anyOfs = new List<JsonElement>();
        var oneOfs = new List<JsonElement>();

        for (var part = 0; part < flat.Count; part++)
        {
            var (schema, partPath) = flat[part];
            foreach (var keyword in schema.EnumerateObject())
            {
                var value = keyword.Value;
                switch (keyword.Name)
                {
                    case var name when !JsonSchemaKeywords.Constrains(name) || name is "$ref" or "allOf" or "uniqueItems":
                        break;
                    case "type":
                        var partTypes = JsonSchemaTypes.Declared(schema, partPath);
                        types = types == JsonTypes.None ? partTypes : Intersect(types, partTypes);
                        if (types == JsonTypes.None)
                            throw new ConstraintException("'allOf' parts have no type in common: no value is valid", where);
                        break;
                    case "properties":
                        foreach (var property in JsonSchemaValues.Properties(schema, partPath))
                        {
                            if (!properties.TryGetValue(property.Name, out var list))
                            {
                                properties[property.Name] = list = [];
                                propertyOrder.Add(property.Name);
                            }
                            list.Add(property.Value);
                            declaredBy[part].Add(property.Name);
                        }
                        break;
                    case "required":
                        required.AddRange(JsonSchemaValues.Required(schema, partPath).Where(n => !required.Contains(n)));
                        break;
                    case "additionalProperties":
                        additional.Add((part, value));
                        break;
                    case "items":
                        items.Add(value);
                        break;
                    case "prefixItems":
                        prefixItems.Add(value);
                        break;
                    case "enum" when value.ValueKind == JsonValueKind.Array:
                        enums.Add([.. value.EnumerateArray()]);
                        break;
                    case "const":
                        enums.Add([value]);
                        break;
                    case var name when Lower.Contains(name) || Upper.Contains(name):
                        var bound = JsonSchemaValues.Number(schema, name, partPath)!.Value;
                        if (merged[name] is not { } previous || (Lower.Contains(name) ? bound > previous.GetValue<decimal>() : bound < previous.GetValue<decimal>()))
                            merged[name] = bound;
                        break;
                    case "pattern" or "format":
                        if (!texts.TryGetValue(keyword.Name, out var set))
                            texts[keyword.Name] = set = new HashSet<string>(StringComparer.Ordinal);
                        set.Add(JsonSchemaValues.Text(schema, keyword.Name, partPath)!);
                        break;
                    case "anyOf":
                        anyOfs.Add(value);
                        break;
                    case "oneOf":
                        oneOfs.Add(value);
                        break;
                    default:
                        throw new ConstraintException($"'{keyword.Name}' is malformed", JsonSchemaPath.Keyword(partPath, keyword.Name));
                }
            }
        }

        // A part's additionalProperties also governs what the other parts declare.
        var forbidden = new HashSet<string>(StringComparer.Ordinal);
        var constraining = additional.Where(a => !IsTrue(a.Schema)).ToList();
        foreach (var (part, schema) in constraining)
        {
            foreach (var name in propertyOrder.Where(n => !declaredBy[part].Contains(n)))
            {
                if (schema.ValueKind == JsonValueKind.False)
                    forbidden.Add(name);
                else
                    properties[name].Add(schema);
            }
        }
        if (forbidden.FirstOrDefault(required.Contains) is { } clash)
            throw new ConstraintException($"'allOf': property '{clash}' is required, but another part forbids it (additionalProperties: false)", where);

        if (types != JsonTypes.None)
            merged["type"] = new JsonArray([.. Enum.GetValues<JsonTypes>().Where(t => t is not (JsonTypes.None or JsonTypes.All) && types.HasFlag(t)).Select(t => JsonValue.Create(t.ToString().ToLowerInvariant()))]);
        if (propertyOrder.Count > 0)
        {
            var merging = new JsonObject();
            foreach (var name in propertyOrder.Where(n => !forbidden.Contains(n)))
                merging[name] = AllOf(properties[name]);
            merged["properties"] = merging;
        }
        if (required.Count > 0)
            merged["required"] = new JsonArray([.. required.Select(n => JsonValue.Create(n))]);
        if (additional.Count > 0)
        {
            merged["additionalProperties"] = constraining.Count == 0 ? JsonValue.Create(true)
                : constraining.Any(a => a.Schema.ValueKind == JsonValueKind.False) ? JsonValue.Create(false)
                : AllOf([.. constraining.Select(a => a.Schema)]);
        }
        if (items.Count > 0)
            merged["items"] = AllOf(items);
        if (prefixItems.Select(p => JsonLiteral.Value(p)).Distinct(StringComparer.Ordinal).Count() > 1)
            throw new ConstraintException("'allOf' with different 'prefixItems' is not supported", where);
        if (prefixItems.Count > 0)
            merged["prefixItems"] = Node(prefixItems[0]);
        if (enums.Count > 0)
            merged["enum"] = new JsonArray([.. Intersect(enums, where).Select(Node)]);
        foreach (var (keyword, values) in texts)
        {
            if (values.Count > 1)
                throw new ConstraintException($"'allOf' with two different '{keyword}' values is not supported", where);
            merged[keyword] = values.Single();
        }
        if (oneOfs.Count > 1)
            throw new ConstraintException("'allOf' with several 'oneOf' parts is not supported", where);
        if (oneOfs.Count == 1)
            merged["oneOf"] = Node(oneOfs[0]);
        if (anyOfs.Count > 0)
            merged["anyOf"] = Distribute(anyOfs, where);
        return JsonSerializer.SerializeToElement(merged);
    }

    private void Flatten(JsonElement schema, string path, List<(JsonElement, string)> flat, int depth)
    {
        if (depth > MaxDepth)
            throw new ConstraintException("'allOf' and '$ref' loop without reaching a schema", path.Length == 0 ? "allOf" : path);
        JsonSchemaValues.RequireSchema(schema, path);
        if (schema.ValueKind == JsonValueKind.True)
            return;
        if (schema.ValueKind == JsonValueKind.False)
            throw new ConstraintException("'allOf' includes the schema false: no value is valid", path.Length == 0 ? "allOf" : path);
        JsonSchemaKeywords.Check(schema, path);
        flat.Add((schema, path));
        if (schema.TryGetProperty("$ref", out _))
        {
            var pointer = refs.Pointer(schema, path);
            if (expanding(pointer))
                throw new ConstraintException(
                    $"'$ref' \"#{pointer}\" is recursive: it can only be used on its own, not merged with other keywords or allOf parts",
                    JsonSchemaPath.Keyword(path, "$ref"));
            Flatten(refs.Target(pointer), JsonSchemaRefs.PathOf(pointer), flat, depth + 1);
        }
        var parts = JsonSchemaValues.Schemas(schema, "allOf", path);
        for (var i = 0; i < parts.Count; i++)
            Flatten(parts[i], JsonSchemaPath.Keyword(path, $"allOf.{i}"), flat, depth + 1);
    }

    private static JsonArray Distribute(List<JsonElement> anyOfs, string where)
    {
        IEnumerable<List<JsonElement>> combinations = [[]];
        foreach (var anyOf in anyOfs)
        {
            if (anyOf.ValueKind != JsonValueKind.Array || anyOf.GetArrayLength() == 0)
                throw new ConstraintException("'anyOf' must be a non-empty array of schemas", where);
            combinations = combinations.SelectMany(c => anyOf.EnumerateArray().Select(b => new List<JsonElement>(c) { b })).ToList();
            if (combinations.Count() > MaxCombinations)
                throw new ConstraintException("'allOf' of several 'anyOf' has too many combinations", where);
        }
        return new JsonArray([.. combinations.Select(AllOf)]);
    }

    private static List<JsonElement> Intersect(List<List<JsonElement>> sets, string where)
    {
        var values = sets[0].Where(v => sets.Skip(1).All(s => s.Any(o => JsonElement.DeepEquals(o, v)))).ToList();
        return values.Count > 0 ? values : throw new ConstraintException("'allOf' parts allow no common enum/const value", where);
    }

    private static JsonTypes Intersect(JsonTypes a, JsonTypes b)
    {
        var types = a & b;
        if ((a.HasFlag(JsonTypes.Number) && b.HasFlag(JsonTypes.Integer)) || (b.HasFlag(JsonTypes.Number) && a.HasFlag(JsonTypes.Integer)))
            types |= JsonTypes.Integer;
        return types;
    }

    private static bool IsTrue(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.True || (schema.ValueKind == JsonValueKind.Object && !schema.EnumerateObject().Any());

    private static JsonNode? AllOf(List<JsonElement> schemas) =>
        schemas.Count == 1 ? Node(schemas[0]) : new JsonObject { ["allOf"] = new JsonArray([.. schemas.Select(Node)]) };

    private static JsonNode? Node(JsonElement element) => JsonNode.Parse(element.GetRawText());
}
