using System.Text.Json.Serialization;

namespace Takeoff.Api.OpenAi;

/// <summary>Answer of <c>POST /v1/chat/completions</c> without streaming.</summary>
/// <param name="Model">The model (consumer group or model name) the request asked for.</param>
public sealed record ChatCompletionResponse(
    string Id,
    long Created,
    string Model,
    IReadOnlyList<ChatCompletionChoice> Choices,
    Usage Usage)
{
    [JsonPropertyName("object")]
    public string Kind => "chat.completion";

    public string SystemFingerprint => OpenAiAnswer.SystemFingerprint;
}

/// <param name="FinishReason">"stop" (end of text or a stop sequence), "length" (token limit or context full) or "tool_calls".</param>
public sealed record ChatCompletionChoice(int Index, AssistantMessage Message, string FinishReason, ChatLogprobs? Logprobs);

/// <param name="Content">The text outside reasoning and tool calls; null when there is none.</param>
/// <param name="ReasoningContent">The answer's think block, when it wrote one.</param>
/// <param name="ToolCalls">The calls the answer made, when it made any.</param>
public sealed record AssistantMessage(
    string Role,
    string? Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReasoningContent = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ToolCall>? ToolCalls = null);

/// <summary>Answer of <c>POST /v1/chat/completions</c> with streaming: one per server-sent event.</summary>
public sealed record ChatCompletionChunk(
    string Id,
    long Created,
    string Model,
    IReadOnlyList<ChatChunkChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Usage? Usage = null)
{
    [JsonPropertyName("object")]
    public string Kind => "chat.completion.chunk";

    public string SystemFingerprint => OpenAiAnswer.SystemFingerprint;
}

public sealed record ChatChunkChoice(int Index, ChatDelta Delta, ChatLogprobs? Logprobs, string? FinishReason);

/// <summary>What a chunk adds to a choice's message: the role first, then pieces of reasoning, content or tool calls.</summary>
public sealed record ChatDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReasoningContent = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ToolCallDelta>? ToolCalls = null);
