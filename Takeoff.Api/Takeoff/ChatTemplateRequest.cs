using System.ComponentModel.DataAnnotations;

namespace Takeoff.Api.Takeoff;

/// <summary>Body of <c>POST /chat_template/{reader_id}</c>: conversations to format with the model's template.</summary>
public sealed class ChatTemplateRequest
{
    /// <summary>One list of messages per conversation.</summary>
    [Required]
    [MinLength(1)]
    public List<List<ChatMessageDto>>? Inputs { get; set; }

    /// <summary>End with the opening of the assistant's turn, ready for generation (default true).</summary>
    public bool? AddGenerationPrompt { get; set; }
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
