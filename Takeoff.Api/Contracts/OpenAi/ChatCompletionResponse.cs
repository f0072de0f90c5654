using System.Text.Json.Serialization;

namespace Takeoff.Api.Contracts.OpenAi;

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
}

/// <param name="FinishReason">"stop" (end of text or a stop sequence) or "length" (token limit or context full).</param>
public sealed record ChatCompletionChoice(int Index, AssistantMessage Message, string FinishReason, ChatLogprobs? Logprobs);

public sealed record AssistantMessage(string Role, string Content);

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
}

public sealed record ChatChunkChoice(int Index, ChatDelta Delta, ChatLogprobs? Logprobs, string? FinishReason);

/// <summary>What a chunk adds to a choice's message: the role first, then pieces of content.</summary>
public sealed record ChatDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content);
