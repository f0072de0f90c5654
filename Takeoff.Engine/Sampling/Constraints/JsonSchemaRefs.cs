using System.Globalization;
using System.Text.Json;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>Resolves local <c>$ref</c>s (<c>#</c>, <c>#/$defs/...</c>, <c>#/definitions/...</c>, any JSON pointer into the document).</summary>
internal sealed class JsonSchemaRefs(JsonElement root)
{
    /// <summary>A bare <c>$ref</c> chain longer than this is a cycle with nothing to generate.</summary>
    private const int MaxChain = 64;

    /// <summary>The JSON pointer a <c>$ref</c> names (without '#'), checked to exist.</summary>
    public string Pointer(JsonElement schema, string path)
    {
        var keyword = JsonSchemaPath.Keyword(path, "$ref");
        if (!schema.TryGetProperty("$ref", out var value) || value.ValueKind != JsonValueKind.String)
            throw new ConstraintException("'$ref' must be a string", keyword);
        var reference = value.GetString()!;
        if (!reference.StartsWith('#'))
            throw new ConstraintException($"'$ref' \"{reference}\": only references inside the schema (\"#/...\") are supported", keyword);
        var pointer = Uri.UnescapeDataString(reference[1..]);
        if (pointer.Length > 0 && pointer[0] != '/')
            throw new ConstraintException($"'$ref' \"{reference}\": anchors are not supported, use a JSON pointer such as #/$defs/Name", keyword);
        _ = Resolve(pointer) ?? throw new ConstraintException($"'$ref' \"{reference}\" points at nothing in the schema", keyword);
        return pointer;
    }

    public JsonElement Target(string pointer) => Resolve(pointer)!.Value;

    /// <summary>The schema itself, or what its chain of bare <c>$ref</c>s (no other constraining keyword) leads to.</summary>
    public JsonElement Follow(JsonElement schema, string path)
    {
        for (var i = 0; i < MaxChain; i++)
        {
            if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("$ref", out _)
                || schema.EnumerateObject().Any(p => p.Name != "$ref" && JsonSchemaKeywords.Constrains(p.Name)))
                return schema;
            schema = Target(Pointer(schema, path));
        }
        throw new ConstraintException("'$ref' chain loops without reaching a schema", JsonSchemaPath.Keyword(path, "$ref"));
    }

    /// <summary>A readable path for errors inside a referenced schema: "/$defs/Node" → "$defs.Node".</summary>
    public static string PathOf(string pointer) => string.Join('.', Segments(pointer));

    /// <summary>The last segment, to name the rule: "/$defs/Node" → "Node".</summary>
    public static string NameOf(string pointer) => Segments(pointer).LastOrDefault() ?? "root";

    private JsonElement? Resolve(string pointer)
    {
        var current = root;
        foreach (var segment in Segments(pointer))
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var child))
                current = child;
            else if (current.ValueKind == JsonValueKind.Array
                     && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                     && index < current.GetArrayLength())
                current = current[index];
            else
                return null;
        }
        return current;
    }

    private static IEnumerable<string> Segments(string pointer) =>
        pointer.Length == 0 ? [] : pointer[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
}
