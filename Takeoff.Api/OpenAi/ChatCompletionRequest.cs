using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Text;
using Takeoff.Engine.Text.Tools;

namespace Takeoff.Api.OpenAi;

/// <summary>
/// Body of <c>POST /v1/chat/completions</c>. The conversation is formatted with the model's own chat template
/// (from its GGUF, else its models.json fallback), with tools when sent. Images are refused with a 400.
/// </summary>
public sealed class ChatCompletionRequest : OpenAiGenerationRequest
{
    /// <summary>The conversation: "system" (or "developer"), "user" and "assistant" turns.</summary>
    [Required]
    [MinLength(1)]
    public List<ChatCompletionMessage>? Messages { get; set; }

    /// <summary>Most tokens to generate per choice (default: until the context window is full).</summary>
    /// <example>128</example>
    [Range(1, 1_000_000)]
    public int? MaxTokens { get; set; }

    /// <summary>Newer name of max_tokens (the OpenAI .NET SDK sends this one); wins over max_tokens.</summary>
    [Range(1, 1_000_000)]
    public int? MaxCompletionTokens { get; set; }

    /// <summary>Return the log-probability of each generated token.</summary>
    public bool? Logprobs { get; set; }

    /// <summary>With logprobs: this many most likely alternatives per token (0-20).</summary>
    [Range(0, GenerationRequest.MaxLogprobs)]
    public int? TopLogprobs { get; set; }

    /// <summary>Functions the model may call (type "function": name, description, parameters as a JSON Schema, strict).</summary>
    public List<ToolDefinition>? Tools { get; set; }

    /// <summary>
    /// "none", "auto" (default with tools), "required" (at least one call), or {"type": "function", "function":
    /// {"name": ...}} (that call). A forced call's arguments are constrained by the tool's parameters schema.
    /// </summary>
    public JsonElement? ToolChoice { get; set; }

    /// <summary>More than one call per answer (default true); false: exactly one call when a call is forced.</summary>
    public bool? ParallelToolCalls { get; set; }

    /// <summary>Not supported (the older form of tools).</summary>
    public JsonElement? Functions { get; set; }

    /// <summary>Not supported (the older form of tool_choice).</summary>
    public JsonElement? FunctionCall { get; set; }

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var error in base.Validate(validationContext))
            yield return error;
        foreach (var (name, value) in new[] { ("functions", Functions), ("function_call", FunctionCall) })
        {
            if (Unsupported.IsSet(value))
                yield return Unsupported.Field(name, "send tools and tool_choice instead");
        }
        for (var i = 0; i < (Tools?.Count ?? 0); i++)
        {
            if (Tools![i] is not { } tool)
                yield return new ValidationResult($"tools[{i}] must be an object.", ["tools"]);
            else if (tool.Problem() is { } problem)
                yield return new ValidationResult($"tools[{i}]: {problem}", ["tools"]);
        }
        if (Tools?.Where(t => t?.Function?.Name is not null).GroupBy(t => t.Function!.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            yield return new ValidationResult($"tools: the function '{twice.Key}' is defined twice.", ["tools"]);
        if (ToolChoiceProblem() is { } choice)
            yield return new ValidationResult(choice, ["tool_choice"]);
        else if (EngineToolChoice().IsForced && (ResponseFormat?.Constraint() is not null || Grammar is not null || JsonSchema is { ValueKind: not JsonValueKind.Null }))
            yield return new ValidationResult("A forced tool call (tool_choice required or a function) cannot be combined with response_format, grammar or json_schema.", ["tool_choice"]);
        if (TopLogprobs is not null && Logprobs != true)
            yield return new ValidationResult("top_logprobs needs logprobs: true.", ["top_logprobs"]);
        if (Messages is null)
            yield break;
        for (var i = 0; i < Messages.Count; i++)
        {
            if (Messages[i] is null)
                yield return new ValidationResult($"messages[{i}] must be an object.", ["messages"]);
            else if (Messages[i].Problem() is { } problem)
                yield return new ValidationResult($"messages[{i}]: {problem}", ["messages"]);
        }
    }

    private bool HasTools => Tools is { Count: > 0 };

    private string? ToolChoiceProblem()
    {
        switch (ToolChoice)
        {
            case null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }:
                return null;
            case { ValueKind: JsonValueKind.String } mode:
                return mode.GetString() switch
                {
                    "none" or "auto" => null,
                    "required" => HasTools ? null : "tool_choice \"required\" needs tools.",
                    var other => $"tool_choice must be \"none\", \"auto\", \"required\" or {{\"type\": \"function\", \"function\": {{\"name\": ...}}}}, not \"{other}\".",
                };
            case { ValueKind: JsonValueKind.Object } named:
                if (NamedFunction(named) is not { } name)
                    return "tool_choice must be {\"type\": \"function\", \"function\": {\"name\": ...}}.";
                return Tools?.Any(t => t?.Function?.Name == name) == true
                    ? null
                    : $"tool_choice names the function '{name}', which is not in tools.";
            default:
                return "tool_choice must be a string or an object.";
        }
    }

    private static string? NamedFunction(JsonElement choice) =>
        choice.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "function"
        && choice.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
        && function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()
            : null;

    /// <summary>tool_choice in the engine's terms (valid after validation): auto by default.</summary>
    private Engine.Text.Tools.ToolChoice EngineToolChoice() => ToolChoice switch
    {
        { ValueKind: JsonValueKind.String } mode => mode.GetString() switch
        {
            "none" => Engine.Text.Tools.ToolChoice.None,
            "required" => Engine.Text.Tools.ToolChoice.Required,
            _ => Engine.Text.Tools.ToolChoice.Auto,
        },
        { ValueKind: JsonValueKind.Object } named when NamedFunction(named) is { } name => new Engine.Text.Tools.ToolChoice.Named(name),
        _ => Engine.Text.Tools.ToolChoice.Auto,
    };

    /// <summary>The tools in the engine's terms; null without tools.</summary>
    internal ChatTools? EngineTools() => HasTools
        ? new ChatTools(Tools!.Select(t => t.ToEngineTool()).ToArray(), EngineToolChoice(), ParallelToolCalls ?? true)
        : null;

    /// <summary>The functions an answer may call, for parsing it; null when tools are not offered (none, or tool_choice none).</summary>
    internal IReadOnlyCollection<string>? CallableNames() =>
        EngineTools() is { } tools && tools.Choice != Engine.Text.Tools.ToolChoice.None ? tools.Tools.Select(t => t.Name).ToHashSet() : null;

    public override string? NameOf(EngineInput input) => input switch
    {
        EngineInput.Prompt or EngineInput.Messages => "messages",
        EngineInput.MaxTokens => MaxCompletionTokens is not null ? "max_completion_tokens" : "max_tokens",
        EngineInput.Logprobs => "top_logprobs",
        EngineInput.Tools => "tools",
        EngineInput.ToolChoice => "tool_choice",
        _ => base.NameOf(input),
    };

    public GenerationRequest ToEngineRequest() => ToEngineRequest(
        [new Prompt.Chat(Messages!.Select(m => m.ToEngineMessage()).ToArray()) { Tools = EngineTools() }],
        MaxCompletionTokens ?? MaxTokens,
        Logprobs == true ? TopLogprobs ?? 0 : null);
}

/// <summary>One turn of the conversation.</summary>
public sealed class ChatCompletionMessage
{
    /// <summary>"system", "developer" (taken as system), "user", "assistant" or "tool".</summary>
    /// <example>user</example>
    public string? Role { get; set; }

    /// <summary>A string, or a list of {"type": "text", "text": ...} parts (joined); may be null on an assistant turn with tool_calls.</summary>
    /// <example>Tell me a story about a dog.</example>
    public MessageContent? Content { get; set; }

    /// <summary>A tool turn: the function that answered; otherwise accepted and ignored.</summary>
    public string? Name { get; set; }

    /// <summary>An assistant turn: the calls it made.</summary>
    public List<ToolCallMessage>? ToolCalls { get; set; }

    /// <summary>A tool turn: the id of the call it answers.</summary>
    public string? ToolCallId { get; set; }

    /// <summary>An assistant turn's reasoning, rendered by templates that show it.</summary>
    public string? ReasoningContent { get; set; }

    internal string? Problem()
    {
        switch (Role)
        {
            case null or "":
                return "role is required.";
            case "function":
                return "role \"function\" is not supported by this server: send tool messages (role \"tool\").";
            case not ("system" or "developer" or "user" or "assistant" or "tool"):
                return $"role \"{Role}\" is not one of system, developer, user, assistant, tool.";
        }
        if (ToolCalls is { Count: > 0 } calls)
        {
            if (Role != "assistant")
                return "only assistant messages carry tool_calls.";
            for (var i = 0; i < calls.Count; i++)
            {
                if (calls[i]?.Function is not { Name.Length: > 0 } function)
                    return $"tool_calls[{i}].function.name is required.";
                if (calls[i].Type is not (null or "function"))
                    return $"tool_calls[{i}].type must be \"function\".";
                if (function.ArgumentsJson is null)
                    return $"tool_calls[{i}].function.arguments must be a JSON object encoded as a string.";
            }
        }
        else if (Content is null)
            return Role == "assistant" ? "content or tool_calls is required." : "content is required.";
        if (Role == "tool" && string.IsNullOrEmpty(ToolCallId))
            return "tool_call_id is required on a tool message.";
        return Content?.Parts.FirstOrDefault(p => p.Type != "text") is { } part
            ? $"content parts of type \"{part.Type}\" are not supported by this server; it takes text only."
            : null;
    }

    internal ChatMessage ToEngineMessage() => new(Role == "developer" ? "system" : Role!, Content?.Text)
    {
        ToolCalls = ToolCalls is { Count: > 0 } calls
            ? calls.Select(c => new ChatToolCall(c.Id ?? ToolCallParser.NewId(), c.Function!.Name!, c.Function.ArgumentsJson!)).ToArray()
            : null,
        ToolCallId = ToolCallId,
        Name = Name,
        ReasoningContent = ReasoningContent,
    };
}
