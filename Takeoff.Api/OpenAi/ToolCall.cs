using System.Text.Json.Serialization;

namespace Takeoff.Api.OpenAi;

/// <summary>A call in an answer: OpenAI's {"id": "call_...", "type": "function", "function": {"name", "arguments"}}.</summary>
public sealed record ToolCall(string Id, FunctionCall Function)
{
    public string Type => "function";
}

/// <param name="Arguments">The arguments as a JSON string (valid against the tool's schema when the call was forced).</param>
public sealed record FunctionCall(string Name, string Arguments);

/// <summary>A streamed piece of a call: first its index, id, type and name, then its arguments in pieces.</summary>
public sealed record ToolCallDelta(
    int Index,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Type,
    FunctionCallDelta Function);

public sealed record FunctionCallDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    string Arguments);
