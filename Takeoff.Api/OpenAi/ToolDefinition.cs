using System.Text.Json;
using Takeoff.Engine.Text.Tools;

namespace Takeoff.Api.OpenAi;

/// <summary>One entry of <c>tools</c>: {"type": "function", "function": {"name", "description", "parameters", "strict"}}.</summary>
public sealed class ToolDefinition
{
    /// <summary>Only "function".</summary>
    /// <example>function</example>
    public string? Type { get; set; }

    public FunctionDefinition? Function { get; set; }

    /// <summary>What is wrong with this entry, or null.</summary>
    internal string? Problem()
    {
        if (Type != "function")
            return $"type must be \"function\", not {(Type is null ? "missing" : $"\"{Type}\"")}.";
        if (Function is null)
            return "function is required.";
        if (string.IsNullOrEmpty(Function.Name) || Function.Name.Length > 64
            || !Function.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            return "function.name must be 1-64 letters, digits, '_', '-' or '.'.";
        if (Function.Parameters is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
            return "function.parameters must be a JSON Schema object.";
        return null;
    }

    internal ChatTool ToEngineTool() => new(Function!.Name!, Function.Description,
        Function.Parameters is { ValueKind: JsonValueKind.Object } parameters ? parameters : null, Function.Strict == true);
}

/// <summary>A function the model may call.</summary>
public sealed class FunctionDefinition
{
    /// <example>get_weather</example>
    public string? Name { get; set; }

    /// <example>Get the current weather in a city.</example>
    public string? Description { get; set; }

    /// <summary>The arguments, as a JSON Schema (an object).</summary>
    public JsonElement? Parameters { get; set; }

    /// <summary>The arguments must validate against parameters; a schema the server cannot enforce is then a 400.</summary>
    public bool? Strict { get; set; }
}
