using System.Text.Json;
using Takeoff.Engine.Generation;

namespace Takeoff.Api.OpenAi;

/// <summary>OpenAI's <c>response_format</c>: free text, any JSON object, or JSON valid against a schema.</summary>
public sealed class ResponseFormat
{
    /// <summary>"text", "json_object" or "json_schema".</summary>
    /// <example>json_schema</example>
    public string? Type { get; set; }

    /// <summary>With "json_schema": the schema, under <c>schema</c> (<c>name</c> and <c>strict</c> are accepted).</summary>
    public JsonSchemaFormat? JsonSchema { get; set; }

    internal string? Problem() => Type switch
    {
        null => "response_format.type is required: \"text\", \"json_object\" or \"json_schema\".",
        "text" or "json_object" => null,
        "json_schema" when JsonSchema?.Schema is not { ValueKind: JsonValueKind.Object or JsonValueKind.True } =>
            "response_format.json_schema.schema must be a JSON Schema object.",
        "json_schema" => null,
        _ => $"response_format.type \"{Type}\" is not one of \"text\", \"json_object\", \"json_schema\".",
    };

    internal OutputConstraint? Constraint() => Type switch
    {
        "json_object" => new OutputConstraint.JsonObject(),
        "json_schema" when JsonSchema?.Schema is { } schema => new OutputConstraint.JsonSchema(schema),
        _ => null,
    };
}

/// <summary>The schema of a json_schema response format.</summary>
public sealed class JsonSchemaFormat
{
    /// <example>story</example>
    public string? Name { get; set; }

    public JsonElement? Schema { get; set; }

    /// <summary>Accepted: the schema is always enforced strictly.</summary>
    public bool? Strict { get; set; }
}
