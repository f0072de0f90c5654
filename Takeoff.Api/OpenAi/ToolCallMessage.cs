using System.Text.Json;
using System.Text.Json.Serialization;

namespace Takeoff.Api.OpenAi;

/// <summary>A call an assistant made: {"id", "type": "function", "function": {"name", "arguments"}} (arguments a JSON string).</summary>
public sealed class ToolCallMessage
{
    public string? Id { get; set; }

    /// <example>function</example>
    public string? Type { get; set; }

    public FunctionCallMessage? Function { get; set; }
}

/// <summary>The function called and its arguments: a JSON string as OpenAI sends them (an object is accepted too).</summary>
public sealed class FunctionCallMessage
{
    public string? Name { get; set; }

    public JsonElement? Arguments { get; set; }

    /// <summary>The arguments as JSON text, or null when they are not a JSON object.</summary>
    [JsonIgnore]
    internal string? ArgumentsJson
    {
        get
        {
            switch (Arguments)
            {
                case null or { ValueKind: JsonValueKind.Null }:
                    return "{}";
                case { ValueKind: JsonValueKind.Object } obj:
                    return obj.GetRawText();
                case { ValueKind: JsonValueKind.String } text:
                    try
                    {
                        using var parsed = JsonDocument.Parse(text.GetString()!);
                        return parsed.RootElement.ValueKind == JsonValueKind.Object ? text.GetString() : null;
                    }
                    catch (JsonException)
                    {
                        return null;
                    }
                default:
                    return null;
            }
        }
    }
}
