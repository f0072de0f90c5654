using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Takeoff.Tests.Support;

/// <summary>
/// Renders JSON values as a model would write them under a schema grammar: minimal escapes (short forms, else
/// \u00XX in capitals), compact or indented by two spaces. Independent of the engine's writer on purpose.
/// </summary>
internal static class JsonText
{
    public static string Compact(JsonElement value) => Write(value, indent: null);

    public static string Indented(JsonElement value) => Write(value, indent: "  ");

    private static string Write(JsonElement value, string? indent)
    {
        var builder = new StringBuilder();
        Write(builder, value, indent, 0);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, JsonElement value, string? indent, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteContainer(builder, '{', '}', value.EnumerateObject().ToList(), indent, depth, (p, d) =>
                {
                    WriteString(builder, p.Name);
                    builder.Append(indent is null ? ":" : ": ");
                    Write(builder, p.Value, indent, d);
                });
                break;
            case JsonValueKind.Array:
                WriteContainer(builder, '[', ']', value.EnumerateArray().ToList(), indent, depth, (v, d) => Write(builder, v, indent, d));
                break;
            case JsonValueKind.String:
                WriteString(builder, value.GetString()!);
                break;
            default:
                builder.Append(value.GetRawText());
                break;
        }
    }

    private static void WriteContainer<T>(StringBuilder builder, char open, char close, List<T> items, string? indent, int depth, Action<T, int> write)
    {
        builder.Append(open);
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
                builder.Append(',');
            if (indent is not null)
                builder.Append('\n').Append(string.Concat(Enumerable.Repeat(indent, depth + 1)));
            write(items[i], depth + 1);
        }
        if (indent is not null && items.Count > 0)
            builder.Append('\n').Append(string.Concat(Enumerable.Repeat(indent, depth)));
        builder.Append(close);
    }

    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                < ' ' => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => c.ToString(),
            });
        }
        builder.Append('"');
    }
}
