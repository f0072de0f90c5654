using System.Text.Json;
using System.Text.Json.Serialization;
using Takeoff.Engine.Embedding;

namespace Takeoff.Api.OpenAi;

/// <summary>What /v1/embeddings embeds: "text", ["text", ...], [id, ...] or [[id, ...], ...].</summary>
[JsonConverter(typeof(EmbeddingsInputJsonConverter))]
public sealed record EmbeddingsInput(IReadOnlyList<EmbeddingInput> Items);

public sealed class EmbeddingsInputJsonConverter : JsonConverter<EmbeddingsInput>
{
    private const string Expected = "input must be a string, a list of strings, a list of token ids, or a list of token-id lists.";

    public override EmbeddingsInput Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
            return new EmbeddingsInput([new EmbeddingInput.Text(reader.GetString()!)]);
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException(Expected);

        var items = new List<EmbeddingInput>();
        var ids = new List<int>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String when ids.Count == 0:
                    items.Add(new EmbeddingInput.Text(reader.GetString()!));
                    break;
                case JsonTokenType.Number when items.Count == 0:
                    ids.Add(ReadId(ref reader));
                    break;
                case JsonTokenType.StartArray when ids.Count == 0:
                    items.Add(new EmbeddingInput.Tokens(ReadIds(ref reader)));
                    break;
                default:
                    throw new JsonException(Expected + " Kinds cannot be mixed.");
            }
        }
        return new EmbeddingsInput(ids.Count > 0 ? [new EmbeddingInput.Tokens(ids)] : items);
    }

    /// <summary>Read here rather than by a nested deserializer, whose errors would name "[0]" instead of "input".</summary>
    private static List<int> ReadIds(ref Utf8JsonReader reader)
    {
        var ids = new List<int>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            ids.Add(reader.TokenType == JsonTokenType.Number ? ReadId(ref reader) : throw new JsonException(Expected + " Kinds cannot be mixed."));
        return ids;
    }

    private static int ReadId(ref Utf8JsonReader reader) => reader.TryGetInt32(out var id)
        ? id
        : throw new JsonException($"input holds {reader.GetDouble()}, which is not a token id (an integer from 0 to {int.MaxValue}).");

    public override void Write(Utf8JsonWriter writer, EmbeddingsInput value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Embedding inputs are only read.");
}
