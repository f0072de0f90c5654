using System.Text.Json;
using System.Text.Json.Serialization;

namespace Takeoff.Api.Takeoff;

/// <summary>Tokens on the wire: a list of pieces (strings) or a list of ids (integers), never mixed.</summary>
[JsonConverter(typeof(TokenListJsonConverter))]
public sealed record TokenList(IReadOnlyList<string>? Pieces, IReadOnlyList<int>? Ids);

public sealed class TokenListJsonConverter : JsonConverter<TokenList>
{
    private const string Expected = "Expected a list of token strings or a list of integer token ids.";

    public override TokenList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException(Expected);
        var pieces = new List<string>();
        var ids = new List<int>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
                pieces.Add(reader.GetString()!);
            else if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var id))
                ids.Add(id);
            else
                throw new JsonException(Expected);
        }
        if (pieces.Count > 0 && ids.Count > 0)
            throw new JsonException(Expected + " Strings and ids cannot be mixed.");
        return pieces.Count > 0 ? new TokenList(pieces, null) : new TokenList(null, ids);
    }

    public override void Write(Utf8JsonWriter writer, TokenList value, JsonSerializerOptions options)
    {
        if (value.Pieces is not null)
            JsonSerializer.Serialize(writer, value.Pieces, options);
        else
            JsonSerializer.Serialize(writer, value.Ids ?? [], options);
    }
}
