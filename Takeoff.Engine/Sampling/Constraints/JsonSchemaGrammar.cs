using System.Text.Json;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// JSON Schema → GBNF (root rule "root") producing JSON text that validates against the schema.
/// <para>
/// Enforced: <c>type</c> (all seven, and lists), <c>properties</c>/<c>required</c> (declaration order kept; optional
/// properties may be left out), <c>additionalProperties</c> (false, true, or a schema; when absent, an object with
/// declared properties generates only those, as llama.cpp does, and one without generates any members),
/// <c>enum</c>, <c>const</c>, <c>anyOf</c>, <c>oneOf</c> (when its branches provably exclude each other),
/// <c>allOf</c> (merged), local <c>$ref</c> (recursion included), <c>items</c>, <c>prefixItems</c>,
/// <c>minItems</c>/<c>maxItems</c>, <c>minLength</c>/<c>maxLength</c> (code points), <c>pattern</c> (matched
/// anywhere, as JSON Schema says, unless anchored), <c>format</c> date/time/date-time/uuid/ipv4, and
/// <c>minimum</c>/<c>maximum</c>/<c>exclusiveMinimum</c>/<c>exclusiveMaximum</c> (any bound on integers; integral
/// bounds on numbers). Without <c>type</c>, the types are those the keywords imply (properties → object...).
/// </para>
/// <para>
/// Ignored as annotations: title, description, examples, default, $schema, $id (root), $comment, deprecated,
/// readOnly, writeOnly, $anchor, x-*. Everything else (multipleOf, not, if/then/else, uniqueItems: true,
/// patternProperties, unknown keywords...) is refused with a <see cref="ConstraintException"/> naming its path.
/// </para>
/// <para>
/// What it generates is a valid subset: canonical spelling of fixed strings, bounded whitespace (see
/// <see cref="JsonPrimitives"/>), at most 16 digits where numbers are unbounded. A grammar cannot prevent duplicate
/// additional property names.
/// </para>
/// </summary>
internal static class JsonSchemaGrammar
{
    /// <summary>Any JSON object: OpenAI's <c>response_format</c> <c>{"type": "json_object"}</c>.</summary>
    public static string AnyObject { get; } = Primitive("object");

    /// <param name="budget">How long the conversion may take; <see cref="ConversionBudget.Default"/> when null.</param>
    public static string ToGbnf(JsonElement schema, TimeSpan? budget = null)
    {
        JsonSchemaValues.RequireValidText(schema, "");
        var gbnf = new JsonSchemaConverter(schema, new ConversionBudget(budget ?? ConversionBudget.Default)).Convert();
        try
        {
            GbnfGrammar.Parse(gbnf);
        }
        catch (ConstraintException e) when (e.Recursion)
        {
            // Schemas themselves cannot produce a malformed grammar; recursion through $ref can produce one with no end.
            throw new ConstraintException($"the schema's recursion admits no finite value: {e.Message}", "$ref", e);
        }
        catch (ConstraintException e)
        {
            // Size: the grammar is past what llama.cpp can take (or what we let it cost).
            throw new ConstraintException($"the schema's grammar is too large for llama.cpp: {e.Message}", null, e);
        }
        return gbnf;
    }

    private static string Primitive(string name)
    {
        var rules = new GbnfRuleSet(JsonPrimitives.Names);
        rules.Define(rules.Reserve("root"), JsonPrimitives.Use(rules, name));
        return rules.ToString();
    }
}
