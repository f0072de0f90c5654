using System.Numerics;
using System.Text.Json;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>Numbers and integers with their bounds (<c>minimum</c>, <c>maximum</c>, and the exclusive ones).</summary>
internal static class JsonNumberGrammar
{
    public static string Body(JsonElement schema, string path, bool integer, GbnfRuleSet rules)
    {
        var lower = Bound(schema, path, "minimum", "exclusiveMinimum", pickLarger: true);
        var upper = Bound(schema, path, "maximum", "exclusiveMaximum", pickLarger: false);
        if (lower is null && upper is null)
            return JsonPrimitives.Use(rules, integer ? "integer" : "number");

        string range;
        if (integer)
        {
            BigInteger? min = lower is { } l ? new BigInteger(l.Exclusive ? decimal.Floor(l.Value) + 1 : decimal.Ceiling(l.Value)) : null;
            BigInteger? max = upper is { } u ? new BigInteger(u.Exclusive ? decimal.Ceiling(u.Value) - 1 : decimal.Floor(u.Value)) : null;
            range = min > max ? "" : NumberRangeGrammar.Integer(min, max);
        }
        else
        {
            foreach (var (bound, keyword) in new[] { (lower, "minimum"), (upper, "maximum") })
            {
                if (bound is { } b && decimal.Truncate(b.Value) != b.Value)
                    throw new ConstraintException("a bound with a fraction is only supported on integers (integral bounds on numbers are)",
                        JsonSchemaPath.Keyword(path, b.Keyword));
            }
            var empty = lower is { } l && upper is { } u && (l.Value > u.Value || (l.Value == u.Value && (l.Exclusive || u.Exclusive)));
            range = empty ? "" : NumberRangeGrammar.Number(
                lower is { } min ? new BigInteger(min.Value) : null, lower?.Exclusive ?? false,
                upper is { } max ? new BigInteger(max.Value) : null, upper?.Exclusive ?? false);
        }
        if (range.Length == 0)
            throw new ConstraintException("the minimum is above the maximum: no value is valid", JsonSchemaPath.Keyword(path, lower!.Value.Keyword));
        JsonPrimitives.Use(rules, "space");
        return range.Contains(" | ", StringComparison.Ordinal) ? $"( {range} ) space" : $"{range} space";
    }

    private static (decimal Value, bool Exclusive, string Keyword)? Bound(JsonElement schema, string path, string inclusive, string exclusive, bool pickLarger)
    {
        var a = JsonSchemaValues.Number(schema, inclusive, path) is { } i ? (i, false, inclusive) : ((decimal, bool, string)?)null;
        var b = JsonSchemaValues.Number(schema, exclusive, path) is { } e ? (e, true, exclusive) : ((decimal, bool, string)?)null;
        if (a is null || b is null)
            return a ?? b;
        var (x, y) = (a.Value.Item1, b.Value.Item1);
        return x == y ? b : (pickLarger ? x > y : x < y) ? a : b;
    }
}
