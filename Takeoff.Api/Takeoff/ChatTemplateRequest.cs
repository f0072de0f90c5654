using System.ComponentModel.DataAnnotations;
using Takeoff.Api.Hosting;
using Takeoff.Engine.Errors;

namespace Takeoff.Api.Takeoff;

/// <summary>Body of <c>POST /chat_template/{reader_id}</c>: conversations to format with the model's template.</summary>
public sealed class ChatTemplateRequest : IWireNames
{
    /// <summary>One list of messages per conversation.</summary>
    [Required]
    [MinLength(1)]
    public List<List<ChatMessageDto>>? Inputs { get; set; }

    /// <summary>End with the opening of the assistant's turn, ready for generation (default true).</summary>
    public bool? AddGenerationPrompt { get; set; }

    /// <summary>This body's fields, and the path's reader_id it is sent with.</summary>
    public string? NameOf(EngineInput input) => input switch
    {
        EngineInput.Reader => "reader_id",
        EngineInput.Messages => "inputs",
        _ => null,
    };
}

/// <summary>One turn of a conversation.</summary>
public sealed class ChatMessageDto
{
    /// <summary>"system", "user" or "assistant".</summary>
    /// <example>user</example>
    [Required]
    public string? Role { get; set; }

    /// <example>Tell me a story.</example>
    [Required]
    public string? Content { get; set; }
}

/// <summary>Each conversation as one prompt string, in input order.</summary>
public sealed record ChatTemplateResponse(IReadOnlyList<string> Messages);
