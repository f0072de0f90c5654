using Takeoff.Engine.Text.Tools;

namespace Takeoff.Engine.Text;

/// <summary>
/// One turn of a conversation: "system", "user", "assistant" or "tool", and what was said. An assistant turn may
/// carry the tool calls it made (and then no content); a tool turn answers one call, by its id.
/// </summary>
public sealed record ChatMessage(string Role, string? Content)
{
    /// <summary>The calls an assistant turn made.</summary>
    public IReadOnlyList<ChatToolCall>? ToolCalls { get; init; }

    /// <summary>A tool turn: the id of the call it answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>A tool turn: the function that answered (templates such as Llama 3.x's print it).</summary>
    public string? Name { get; init; }

    /// <summary>An assistant turn's reasoning, for templates that render it (Qwen3, DeepSeek R1...).</summary>
    public string? ReasoningContent { get; init; }
}
