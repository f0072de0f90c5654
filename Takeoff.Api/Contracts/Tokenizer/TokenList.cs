using System.Text.Json;
using System.Text.Json.Serialization;

namespace Takeoff.Api.Contracts.Tokenizer;

/// <summary>Tokens on the wire: a list of pieces (strings) or a list of ids (integers), never mixed.</summary>
[JsonConverter(typeof(TokenListJsonConverter))]
public sealed record TokenList(IReadOnlyList<string>? Pieces, IReadOnlyList<int>? Ids);

public sealed class TokenListJsonConverter : JsonConverter<TokenList>
{
    public override TokenList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException("Expected a list of token strings or a list of token ids.");
        var probe = reader;
        probe.Read();
        return probe.TokenType == JsonTokenType.String
            ? new TokenList(JsonSerializer.Deserialize<List<string>>(ref reader, options), null)
            : new TokenList(null, JsonSerializer.Deserialize<List<int>>(ref reader, options));
    }

    public override void Write(Utf8JsonWriter writer, TokenList value, JsonSerializerOptions options)
    {
        if (value.Pieces is not null)
            JsonSerializer.Serialize(writer, value.Pieces, options);
        else
            JsonSerializer.Serialize(writer, value.Ids ?? [], options);
    }
}
