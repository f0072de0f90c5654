using System.ComponentModel.DataAnnotations;
using Takeoff.Api.Hosting;
using Takeoff.Api.OpenAi;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Text.Tools;

namespace Takeoff.Api.Takeoff;

/// <summary>Body of <c>POST /apply-template</c> (llama-server's endpoint): an OpenAI conversation to format.</summary>
public sealed class ApplyTemplateRequest : IValidatableObject, IWireNames
{
    /// <summary>A consumer group or model name (default "primary").</summary>
    /// <example>primary</example>
    public string? Model { get; set; }

    /// <summary>The conversation, as /v1/chat/completions takes it (tool calls and tool results included).</summary>
    [Required]
    [MinLength(1)]
    public List<ChatCompletionMessage>? Messages { get; set; }

    /// <summary>Functions offered, rendered by the template as it would for /v1/chat/completions.</summary>
    public List<ToolDefinition>? Tools { get; set; }

    /// <summary>End with the opening of the assistant's turn (default true).</summary>
    public bool? AddGenerationPrompt { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < (Messages?.Count ?? 0); i++)
        {
            if (Messages![i]?.Problem() is { } problem)
                yield return new ValidationResult($"messages[{i}]: {problem}", ["messages"]);
        }
        for (var i = 0; i < (Tools?.Count ?? 0); i++)
        {
            if (Tools![i]?.Problem() is { } problem)
                yield return new ValidationResult($"tools[{i}]: {problem}", ["tools"]);
        }
    }

    public string? NameOf(EngineInput input) => input switch
    {
        EngineInput.Target => "model",
        EngineInput.Messages => "messages",
        EngineInput.Tools => "tools",
        _ => null,
    };

    internal ChatTools? EngineTools() => Tools is { Count: > 0 }
        ? new ChatTools(Tools.Select(t => t.ToEngineTool()).ToArray(), ToolChoice.Auto)
        : null;
}

/// <summary>The formatted prompt (without the beginning-of-sequence token, which the tokenizer adds).</summary>
public sealed record ApplyTemplateResponse(string Prompt);
