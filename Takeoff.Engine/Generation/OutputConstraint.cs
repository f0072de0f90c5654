using System.Text.Json;

namespace Takeoff.Engine.Generation;

/// <summary>
/// What every choice's text must be: a JSON document valid against a schema, any JSON object, a full match of a
/// regular expression, or a sentence of a GBNF grammar. The text is guaranteed to parse when the generation ends
/// by itself; cut short by the token limit, it is a valid prefix.
/// </summary>
public abstract record OutputConstraint
{
    private OutputConstraint()
    {
    }

    public sealed record JsonSchema(JsonElement Schema) : OutputConstraint;

    public sealed record JsonObject : OutputConstraint;

    public sealed record Regex(string Pattern) : OutputConstraint;

    public sealed record Grammar(string Gbnf) : OutputConstraint;
}
