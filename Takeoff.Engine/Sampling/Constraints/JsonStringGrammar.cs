using System.Text.Json;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>Strings: lengths in code points, a pattern (matched anywhere unless anchored), or one of the enforced formats.</summary>
internal static class JsonStringGrammar
{
    public static string Body(JsonElement schema, string path, string hint, GbnfRuleSet rules)
    {
        var min = JsonSchemaValues.Count(schema, "minLength", path) ?? 0;
        var max = JsonSchemaValues.Count(schema, "maxLength", path);
        if (max < min)
            throw new ConstraintException("'maxLength' is below 'minLength': no string is valid", JsonSchemaPath.Keyword(path, "maxLength"));
        var format = JsonSchemaValues.Text(schema, "format", path);
        var pattern = JsonSchemaValues.Text(schema, "pattern", path);

        if (format is not null)
        {
            var keyword = JsonSchemaPath.Keyword(path, "format");
            if (!JsonPrimitives.Formats.Contains(format))
                throw new ConstraintException($"format '{format}' is not supported (supported: {string.Join(", ", JsonPrimitives.Formats)})", keyword);
            if (pattern is not null || min > 0 || max is not null)
                throw new ConstraintException("'format' together with pattern, minLength or maxLength is not supported", keyword);
            return JsonPrimitives.Use(rules, format + "-string");
        }

        JsonPrimitives.Use(rules, "space");
        string content;
        if (pattern is not null)
        {
            try
            {
                content = RegexGrammar.ToJsonStringContent(pattern, rules, hint, () => JsonPrimitives.Use(rules, "char"), min, max);
            }
            catch (ConstraintException e) when (e.Keyword == "pattern")
            {
                throw new ConstraintException($"'pattern': {e.Message}", JsonSchemaPath.Keyword(path, "pattern"), e);
            }
        }
        else if (min == 0 && max is null)
        {
            return JsonPrimitives.Use(rules, "string");
        }
        else
        {
            content = rules.Repeat(JsonPrimitives.Use(rules, "char"), min, max, JsonSchemaPath.Keyword(path, max is null ? "minLength" : "maxLength"));
        }
        return $"\"\\\"\" {content} \"\\\"\" space";
    }
}
