using System.Text.Json;
using System.Text.Json.Serialization;

namespace Takeoff.Api.Wire;

/// <summary>Reads and writes <see cref="OneOrMany{T}"/> as a bare value or a JSON array.</summary>
public sealed class OneOrManyJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(OneOrMany<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(
            typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class Converter<T> : JsonConverter<OneOrMany<T>>
    {
        public override OneOrMany<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                var items = JsonSerializer.Deserialize<List<T>>(ref reader, options)!;
                if (items.Any(i => i is null))
                    throw new JsonException($"A list here may not contain null; expected {Describe()}.");
                return OneOrMany.Many<T>(items);
            }

            if (!IsScalarOf(reader.TokenType))
                throw new JsonException($"Expected {Describe()}.");
            return OneOrMany.One(JsonSerializer.Deserialize<T>(ref reader, options)!);
        }

        public override void Write(Utf8JsonWriter writer, OneOrMany<T> value, JsonSerializerOptions options)
        {
            if (value.IsList)
                JsonSerializer.Serialize(writer, value.Items, options);
            else
                JsonSerializer.Serialize(writer, value.Items[0], options);
        }

        private static bool IsScalarOf(JsonTokenType token) =>
            typeof(T) == typeof(string) ? token == JsonTokenType.String : token == JsonTokenType.StartObject;

        private static string Describe() =>
            typeof(T) == typeof(string) ? "a string or a list of strings" : $"an object or a list of objects";
    }
}
