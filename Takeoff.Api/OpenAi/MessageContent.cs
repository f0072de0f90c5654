using System.Text.Json;
using System.Text.Json.Serialization;

namespace Takeoff.Api.OpenAi;

/// <summary>A message's content: a string, or a list of typed parts (only "text" parts are served).</summary>
[JsonConverter(typeof(MessageContentJsonConverter))]
public sealed record MessageContent(IReadOnlyList<ContentPart> Parts)
{
    /// <summary>The text parts, joined.</summary>
    public string Text => string.Concat(Parts.Select(p => p.Text));
}

/// <summary>One part of a message's content: {"type": "text", "text": "..."}; other types are refused.</summary>
public sealed record ContentPart(string Type, string? Text);

public sealed class MessageContentJsonConverter : JsonConverter<MessageContent>
{
    public override MessageContent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
            return new MessageContent([new ContentPart("text", reader.GetString())]);
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException("content must be a string or a list of content parts.");
        var parts = JsonSerializer.Deserialize<List<PartOnTheWire>>(ref reader, options)!;
        return new MessageContent(parts.Select(p => new ContentPart(p?.Type ?? "", p?.Text)).ToArray());
    }

    public override void Write(Utf8JsonWriter writer, MessageContent value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Text);

    private sealed record PartOnTheWire(string? Type, string? Text);
}
