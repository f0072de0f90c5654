using System.Text.Json.Serialization;

namespace Takeoff.Api.OpenAi;

/// <summary>Answer of <c>POST /v1/completions</c>; with streaming, each server-sent event has this shape too.</summary>
public sealed record CompletionResponse(
    string Id,
    long Created,
    string Model,
    IReadOnlyList<CompletionChoice> Choices,
    Usage? Usage)
{
    [JsonPropertyName("object")]
    public string Kind => "text_completion";
}

/// <param name="FinishReason">"stop" or "length"; null in a streamed chunk before the choice ends.</param>
public sealed record CompletionChoice(string Text, int Index, CompletionLogprobs? Logprobs, string? FinishReason);
