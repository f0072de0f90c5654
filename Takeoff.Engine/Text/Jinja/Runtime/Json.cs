using System.Globalization;
using System.Text;

namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>
/// Python's <c>json.dumps</c>, which is transformers' <c>tojson</c>: its default separators (<c>", "</c> and
/// <c>": "</c>, or <c>","</c> with an indent), its float spelling, its escapes, and its refusal of anything that is
/// not JSON (an undefined, a generator).
/// </summary>
internal static class Json
{
    public static string Dumps(object? value, bool ensureAscii, string? indent, string itemSeparator, string keySeparator, bool sortKeys)
    {
        var sb = new StringBuilder();
        Write(sb, value, ensureAscii, indent, itemSeparator, keySeparator, sortKeys, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, bool ascii, string? indent, string itemSep, string keySep, bool sort, int level)
    {
        Py.EnsureStack();
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : Py.FloatRepr(d));
                break;
            case string or Markup:
                WriteString(sb, Py.Text(value), ascii);
                break;
            case List<object?> or object?[]:
                var items = Py.Iterate(value).ToList();
                if (items.Count == 0)
                {
                    sb.Append("[]");
                    break;
                }

                sb.Append('[');
                for (var i = 0; i < items.Count; i++)
                {
                    sb.Append(i > 0 ? itemSep : "");
                    NewLine(sb, indent, level + 1);
                    Write(sb, items[i], ascii, indent, itemSep, keySep, sort, level + 1);
                }

                NewLine(sb, indent, level);
                sb.Append(']');
                break;
            case PyDict dict:
                if (dict.Count == 0)
                {
                    sb.Append("{}");
                    break;
                }

                IEnumerable<KeyValuePair<object, object?>> pairs = dict;
                if (sort)
                    pairs = pairs.Order(Comparer<KeyValuePair<object, object?>>.Create((x, y) => Py.Compare(x.Key, y.Key)));
                sb.Append('{');
                var first = true;
                foreach (var (key, item) in pairs)
                {
                    sb.Append(first ? "" : itemSep);
                    first = false;
                    NewLine(sb, indent, level + 1);
                    WriteString(sb, KeyText(key), ascii);
                    sb.Append(keySep);
                    Write(sb, item, ascii, indent, itemSep, keySep, sort, level + 1);
                }

                NewLine(sb, indent, level);
                sb.Append('}');
                break;
            default:
                throw Py.TypeError($"Object of type {Py.TypeName(value)} is not JSON serializable");
        }
    }

    private static string KeyText(object key) => key switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => Py.FloatRepr(d),
        _ => throw Py.TypeError($"keys must be str, int, float, bool or None, not {Py.TypeName(key)}"),
    };

    private static void NewLine(StringBuilder sb, string? indent, int level)
    {
        if (indent is null)
            return;
        sb.Append('\n');
        for (var i = 0; i < level; i++)
            sb.Append(indent);
    }

    private static void WriteString(StringBuilder sb, string s, bool ascii)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || (ascii && c > 0x7e))
                        sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    else
                        sb.Append(c);
                    break;
            }
        }

        sb.Append('"');
    }
}
