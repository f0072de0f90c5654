using System.Text.Json;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// Arrays: <c>prefixItems</c> as nested optionals (an array may stop after any of them once <c>minItems</c> is
/// met), then <c>items</c> counted to <c>minItems</c>/<c>maxItems</c>.
/// </summary>
internal static class JsonArrayGrammar
{
    /// <summary>Each prefix item nests one optional group in the next.</summary>
    private const int MaxPrefixItems = 256;

    public static string Body(JsonElement schema, string path, string hint, GbnfRuleSet rules, Func<JsonElement, string, string, string> symbol)
    {
        var hasItems = schema.TryGetProperty("items", out var items);
        if (hasItems && items.ValueKind == JsonValueKind.Array)
            throw new ConstraintException("'items' as an array is draft-07 syntax: use 'prefixItems'", JsonSchemaPath.Keyword(path, "items"));
        var prefix = JsonSchemaValues.Schemas(schema, "prefixItems", path);
        if (prefix.Count > MaxPrefixItems)
            throw new ConstraintException($"more than {MaxPrefixItems} 'prefixItems' are not supported", JsonSchemaPath.Keyword(path, "prefixItems"));
        var min = JsonSchemaValues.Count(schema, "minItems", path) ?? 0;
        var max = JsonSchemaValues.Count(schema, "maxItems", path);
        if (prefix.Count == 0 && !hasItems && min == 0 && max is null)
            return JsonPrimitives.Use(rules, "array");

        // Without 'items', positions after prefixItems could hold anything: generate them only when minItems needs them.
        string? item = hasItems
            ? items.ValueKind == JsonValueKind.False ? null : symbol(items, JsonSchemaPath.Keyword(path, "items"), $"{hint}-item")
            : prefix.Count == 0 || min > prefix.Count ? JsonPrimitives.Use(rules, "value") : null;
        var most = item is null ? Math.Min(max ?? prefix.Count, prefix.Count) : max;
        if (min > most)
            throw new ConstraintException("'minItems' is above the number of items allowed: no array is valid", JsonSchemaPath.Keyword(path, "minItems"));
        var prefixSymbols = prefix
            .Take(most ?? prefix.Count)
            .Select((s, i) => symbol(s, JsonSchemaPath.Keyword(path, $"prefixItems.{i}"), $"{hint}-{i}"))
            .ToList();

        JsonPrimitives.Use(rules, "space");
        var elements = Elements(rules, 0, prefixSymbols, item, min, most, JsonSchemaPath.Keyword(path, "maxItems"), $"{hint}-next");
        return elements.Length == 0 ? "\"[\" space \"]\" space" : $"\"[\" space {elements} \"]\" space";
    }

    /// <summary>Array elements from position <paramref name="k"/> on: prefix items nested as optionals, then counted items.</summary>
    private static string Elements(GbnfRuleSet rules, int k, List<string> prefix, string? item, int min, int? most, string keyword, string hint)
    {
        if (k >= most)
            return "";
        var comma = k == 0 ? "" : "\",\" space ";
        if (k < prefix.Count)
        {
            var sequence = $"{comma}{prefix[k]} {Elements(rules, k + 1, prefix, item, min, most, keyword, hint)}".TrimEnd();
            return k < min ? sequence : $"( {sequence} )?";
        }
        if (item is null)
            return "";
        var needed = Math.Max(0, min - k);
        var next = $"( \",\" space {item} )";
        if (k > 0)
            return Repeat(rules, next, needed, most - k, keyword, hint);
        var first = $"{item} {Repeat(rules, next, Math.Max(0, needed - 1), most - 1, keyword, hint)}".TrimEnd();
        return needed > 0 ? first : $"( {first} )?";
    }

    private static string Repeat(GbnfRuleSet rules, string atom, int min, int? max, string keyword, string hint) =>
        max == 0 ? "" : rules.Repeat(atom, min, max, keyword, hint);
}
