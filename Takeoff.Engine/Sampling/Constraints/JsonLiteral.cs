using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// The one JSON spelling the grammars generate for fixed text (enum and const values, property names, pattern
/// characters): compact, with only the escapes JSON requires (short forms where JSON has them, else \u00XX).
/// </summary>
internal static class JsonLiteral
{
    public static string EncodeChar(int c) => c switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\b' => "\\b",
        '\f' => "\\f",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        < 0x20 => string.Create(CultureInfo.InvariantCulture, $"\\u{c:X4}"),
        _ => char.ConvertFromUtf32(c),
    };

    public static string String(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var rune in value.EnumerateRunes())
            builder.Append(EncodeChar(rune.Value));
        return builder.Append('"').ToString();
    }

    public static string Value(JsonElement value)
    {
        var builder = new StringBuilder();
        Write(builder, value);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                var firstProperty = true;
                foreach (var property in value.EnumerateObject())
                {
                    if (!firstProperty)
                        builder.Append(',');
                    firstProperty = false;
                    builder.Append(String(property.Name)).Append(':');
                    Write(builder, property.Value);
                }
                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var firstItem = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!firstItem)
                        builder.Append(',');
                    firstItem = false;
                    Write(builder, item);
                }
                builder.Append(']');
                break;
            case JsonValueKind.String:
                builder.Append(String(value.GetString()!));
                break;
            default:
                builder.Append(value.GetRawText());
                break;
        }
    }
}
