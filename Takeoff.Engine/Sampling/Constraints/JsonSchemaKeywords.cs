using System.Text.Json;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// What the converter does with each keyword: enforce it, ignore it as pure annotation, or refuse it. Unknown
/// keywords are refused too (JSON Schema would ignore them, but a typo such as "requried" must not silently turn
/// into no constraint at all); <c>x-</c> extensions are annotations.
/// </summary>
internal static class JsonSchemaKeywords
{
    /// <summary>Keywords with no effect on validation. <c>$id</c> counts only at the root: elsewhere it moves the base of <c>$ref</c>.</summary>
    public static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "title", "description", "examples", "default", "$schema", "$id", "$comment", "deprecated", "readOnly",
        "writeOnly", "$anchor",
    };

    /// <summary>Where <c>$ref</c> targets live; their contents matter only when referenced.</summary>
    public static readonly HashSet<string> Containers = new(StringComparer.Ordinal) { "$defs", "definitions" };

    public static readonly HashSet<string> Enforced = new(StringComparer.Ordinal)
    {
        "type", "enum", "const", "properties", "required", "additionalProperties", "items", "prefixItems",
        "minItems", "maxItems", "minLength", "maxLength", "pattern", "format", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum", "anyOf", "oneOf", "allOf", "$ref",
    };

    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["multipleOf"] = "a grammar cannot check divisibility",
        ["patternProperties"] = "property names cannot be matched against patterns",
        ["propertyNames"] = "property names cannot be constrained",
        ["minProperties"] = "property counts cannot be constrained",
        ["maxProperties"] = "property counts cannot be constrained",
        ["dependentRequired"] = "conditional requirements are not supported",
        ["dependentSchemas"] = "conditional schemas are not supported",
        ["dependencies"] = "conditional requirements are not supported",
        ["unevaluatedProperties"] = "it is not supported",
        ["unevaluatedItems"] = "it is not supported",
        ["contains"] = "a grammar cannot count matching items",
        ["minContains"] = "a grammar cannot count matching items",
        ["maxContains"] = "a grammar cannot count matching items",
        ["uniqueItems"] = "a grammar cannot compare array items",
        ["not"] = "a grammar cannot express negation",
        ["if"] = "conditionals are not supported",
        ["then"] = "conditionals are not supported",
        ["else"] = "conditionals are not supported",
        ["$dynamicRef"] = "dynamic references are not supported",
        ["$dynamicAnchor"] = "dynamic references are not supported",
        ["$recursiveRef"] = "dynamic references are not supported",
        ["$recursiveAnchor"] = "dynamic references are not supported",
        ["contentEncoding"] = "encoded content is not supported",
        ["contentMediaType"] = "encoded content is not supported",
        ["contentSchema"] = "encoded content is not supported",
        ["additionalItems"] = "use prefixItems and items (JSON Schema 2020-12)",
        ["$vocabulary"] = "custom vocabularies are not supported",
        ["nullable"] = "it is OpenAPI, not JSON Schema: use \"type\": [\"...\", \"null\"]",
    };

    public static bool IsAnnotation(string keyword) =>
        Annotations.Contains(keyword) || keyword.StartsWith("x-", StringComparison.Ordinal);

    /// <summary>Whether the keyword takes part in validation (neither annotation nor container).</summary>
    public static bool Constrains(string keyword) => !IsAnnotation(keyword) && !Containers.Contains(keyword);

    /// <summary>Refuses every keyword of <paramref name="schema"/> that cannot be enforced.</summary>
    public static void Check(JsonElement schema, string path)
    {
        foreach (var property in schema.EnumerateObject())
        {
            var name = property.Name;
            var keyword = JsonSchemaPath.Keyword(path, name);
            if (name == "$id" && path.Length > 0)
                throw new ConstraintException($"'$id' is only supported at the root ({keyword}): it changes how '$ref' resolves", keyword);
            if (name == "uniqueItems" && property.Value.ValueKind == JsonValueKind.False)
                continue;
            if (Refused.TryGetValue(name, out var why))
                throw new ConstraintException($"'{name}' is not supported: {why}", keyword);
            if (!Enforced.Contains(name) && Constrains(name))
                throw new ConstraintException($"unknown keyword '{name}' (refused rather than ignored)", keyword);
        }
    }
}
