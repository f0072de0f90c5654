using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Text;

namespace Takeoff.Api.Contracts.OpenAi;

/// <summary>
/// Body of <c>POST /v1/chat/completions</c>. The conversation is formatted with the model's own chat template
/// (from its GGUF, else its models.json fallback). Tools and images are refused with a 400.
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

    /// <summary>Not supported: tool calling is refused.</summary>
    public JsonElement? Tools { get; set; }

    /// <summary>Not supported, except "none" and "auto" (which, without tools, ask for nothing).</summary>
    public JsonElement? ToolChoice { get; set; }

    /// <summary>Not supported (the older form of tools).</summary>
    public JsonElement? Functions { get; set; }

    /// <summary>Not supported (the older form of tool_choice).</summary>
    public JsonElement? FunctionCall { get; set; }

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var error in base.Validate(validationContext))
            yield return error;
        foreach (var (name, value) in new[] { ("tools", Tools), ("functions", Functions), ("function_call", FunctionCall) })
        {
            if (Unsupported.IsSet(value))
                yield return Unsupported.Field(name, "tool calling is not implemented");
        }
        // Without tools, "none" and "auto" ask for nothing.
        if (Unsupported.IsSet(ToolChoice) && ToolChoice!.Value.ValueKind != JsonValueKind.String
            || ToolChoice is { ValueKind: JsonValueKind.String } choice && choice.GetString() is not ("none" or "auto"))
            yield return Unsupported.Field("tool_choice", "tool calling is not implemented");
        if (TopLogprobs is not null && Logprobs != true)
            yield return new ValidationResult("top_logprobs needs logprobs: true.", ["top_logprobs"]);
        if (Messages is null)
            yield break;
        for (var i = 0; i < Messages.Count; i++)
        {
            if (Messages[i].Problem() is { } problem)
                yield return new ValidationResult($"messages[{i}]: {problem}", ["messages"]);
        }
    }

    public GenerationRequest ToEngineRequest() => ToEngineRequest(
        [new Prompt.Chat(Messages!.Select(m => m.ToEngineMessage()).ToArray())],
        MaxCompletionTokens ?? MaxTokens,
        Logprobs == true ? TopLogprobs ?? 0 : null);
}

/// <summary>One turn of the conversation.</summary>
public sealed class ChatCompletionMessage
{
    /// <summary>"system", "developer" (taken as system), "user" or "assistant".</summary>
    /// <example>user</example>
    public string? Role { get; set; }

    /// <summary>A string, or a list of {"type": "text", "text": ...} parts (joined).</summary>
    /// <example>Tell me a story about a dog.</example>
    public MessageContent? Content { get; set; }

    /// <summary>Accepted and ignored.</summary>
    public string? Name { get; set; }

    /// <summary>Not supported: tool calls are refused.</summary>
    public JsonElement? ToolCalls { get; set; }

    internal string? Problem() => Role switch
    {
        null or "" => "role is required.",
        "tool" or "function" => $"role \"{Role}\" is not supported by this server: tool calling is not implemented.",
        not ("system" or "developer" or "user" or "assistant") => $"role \"{Role}\" is not one of system, developer, user, assistant.",
        _ when Unsupported.IsSet(ToolCalls) => "tool_calls are not supported by this server: tool calling is not implemented.",
        _ when Content is null => "content is required.",
        _ => Content.Parts.FirstOrDefault(p => p.Type != "text") is { } part
            ? $"content parts of type \"{part.Type}\" are not supported by this server; it takes text only."
            : null,
    };

    internal ChatMessage ToEngineMessage() => new(Role == "developer" ? "system" : Role!, Content!.Text);
}
