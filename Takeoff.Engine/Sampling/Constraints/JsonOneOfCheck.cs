using System.Text.Json;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// A grammar can choose one branch of <c>oneOf</c> but cannot make the value fail the others, so <c>oneOf</c> is
/// enforced only when every value generated from one branch provably fails every other: different types, disjoint
/// enum/const values, an object missing a property another branch requires, or a required discriminator property
/// whose enum/const values differ. Otherwise the request is refused (anyOf says what the user may have meant).
/// </summary>
internal sealed class JsonOneOfCheck(JsonSchemaRefs refs, ConversionBudget budget)
{
    [Flags]
    private enum Kinds
    {
        None = 0,
        Null = 1,
        Boolean = 2,
        Object = 4,
        Array = 8,
        String = 16,
        Integral = 32,
        Fractional = 64,
        All = 127,
    }

    public void RequireExclusive(IReadOnlyList<JsonElement> branches, string path)
    {
        var resolved = branches.Select((b, i) => refs.Follow(b, JsonSchemaPath.Keyword(path, $"oneOf.{i}"))).ToList();
        for (var i = 0; i < resolved.Count; i++)
        {
            for (var j = i + 1; j < resolved.Count; j++)
            {
                budget.Check("checking that the 'oneOf' branches exclude each other", JsonSchemaPath.Keyword(path, "oneOf"));
                if (!Rejects(resolved[i], resolved[j], path) || !Rejects(resolved[j], resolved[i], path))
                    throw new ConstraintException(
                        $"'oneOf' branches {i} and {j} may both match one value, which a grammar cannot rule out: use anyOf, or make the branches differ by type, enum/const, or a required property",
                        JsonSchemaPath.Keyword(path, "oneOf"));
            }
        }
    }

    /// <summary>Every value the converter generates from <paramref name="generator"/> fails <paramref name="validator"/>.</summary>
    private bool Rejects(JsonElement generator, JsonElement validator, string path)
    {
        if (validator.ValueKind == JsonValueKind.False || generator.ValueKind == JsonValueKind.False)
            return true;
        if (validator.ValueKind != JsonValueKind.Object || generator.ValueKind != JsonValueKind.Object)
            return false;
        if ((Generated(generator, path) & Admitted(validator, path)) == Kinds.None)
            return true;
        if (Values(generator) is { } generated && Values(validator) is { } admitted && Disjoint(generated, admitted))
            return true;
        return Generated(generator, path) == Kinds.Object && ObjectsDiffer(generator, validator, path);
    }

    private bool ObjectsDiffer(JsonElement generator, JsonElement validator, string path)
    {
        var generatorRequired = JsonSchemaValues.Required(generator, path);
        var generatorProperties = JsonSchemaValues.Properties(generator, path).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        var validatorProperties = JsonSchemaValues.Properties(validator, path).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

        // The converter generates only declared (and required) properties unless additionalProperties is given.
        var closed = !generator.TryGetProperty("additionalProperties", out var additional)
            ? generatorProperties.Count > 0 || generatorRequired.Count > 0
            : additional.ValueKind == JsonValueKind.False;
        if (closed && JsonSchemaValues.Required(validator, path).Any(n => !generatorProperties.ContainsKey(n) && !generatorRequired.Contains(n)))
            return true;

        foreach (var name in generatorRequired)
        {
            if (generatorProperties.TryGetValue(name, out var mine) && validatorProperties.TryGetValue(name, out var theirs)
                && Values(refs.Follow(mine, path)) is { } generated && Values(refs.Follow(theirs, path)) is { } admitted
                && Disjoint(generated, admitted))
                return true;
        }
        return false;
    }

    private static List<JsonElement>? Values(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
            return null;
        if (schema.TryGetProperty("const", out var constant))
            return [constant];
        return schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array ? [.. values.EnumerateArray()] : null;
    }

    /// <summary>No value in both lists: hashed, since comparing every pair of two 10,000-value enums took seconds.</summary>
    private static bool Disjoint(List<JsonElement> a, List<JsonElement> b)
    {
        var set = new HashSet<JsonElement>(a, ValueComparer.Instance);
        return !b.Any(set.Contains);
    }

    /// <summary>JSON Schema equality (<see cref="JsonElement.DeepEquals"/>) with a hash that equal values share (1 and 1.0 alike).</summary>
    private sealed class ValueComparer : IEqualityComparer<JsonElement>
    {
        public static ValueComparer Instance { get; } = new();

        public bool Equals(JsonElement x, JsonElement y) => JsonElement.DeepEquals(x, y);

        public int GetHashCode(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => StringComparer.Ordinal.GetHashCode(value.GetString()!),
            JsonValueKind.Number => value.TryGetDecimal(out var number) ? number.GetHashCode() : 0,
            JsonValueKind.Array => HashCode.Combine(JsonValueKind.Array, value.GetArrayLength()),
            JsonValueKind.Object => HashCode.Combine(JsonValueKind.Object, value.EnumerateObject().Count()),
            var kind => kind.GetHashCode(),
        };
    }

    private static Kinds Generated(JsonElement schema, string path) =>
        Values(schema) is { } values ? values.Aggregate(Kinds.None, (k, v) => k | OfValue(v)) : Of(JsonSchemaTypes.Generated(schema, path));

    private static Kinds Admitted(JsonElement schema, string path)
    {
        var declared = JsonSchemaTypes.Declared(schema, path);
        if (declared != JsonTypes.None)
            return Of(declared);
        return Values(schema) is { } values ? values.Aggregate(Kinds.None, (k, v) => k | OfValue(v)) : Kinds.All;
    }

    /// <summary>A number value with a fraction is only fractional (JsonSchemaTypes.Of says Number for it).</summary>
    private static Kinds OfValue(JsonElement value) =>
        JsonSchemaTypes.Of(value) is var type && type == JsonTypes.Number ? Kinds.Fractional : Of(type);

    private static Kinds Of(JsonTypes types)
    {
        var kinds = Kinds.None;
        if (types.HasFlag(JsonTypes.Null)) kinds |= Kinds.Null;
        if (types.HasFlag(JsonTypes.Boolean)) kinds |= Kinds.Boolean;
        if (types.HasFlag(JsonTypes.Object)) kinds |= Kinds.Object;
        if (types.HasFlag(JsonTypes.Array)) kinds |= Kinds.Array;
        if (types.HasFlag(JsonTypes.String)) kinds |= Kinds.String;
        if (types.HasFlag(JsonTypes.Integer)) kinds |= Kinds.Integral;
        if (types.HasFlag(JsonTypes.Number)) kinds |= Kinds.Integral | Kinds.Fractional;
        return kinds;
    }
}
