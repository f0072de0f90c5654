using System.Globalization;
using System.Text;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// Writes GBNF terminals. Everything outside printable ASCII is escaped (\x, \u, \U), and class punctuation as \xHH
/// rather than \[ \] \-, which older llama.cpp parsers do not all know.
/// </summary>
internal static class GbnfText
{
    public static string Literal(string text) => Literal(text.EnumerateRunes().Select(r => r.Value));

    public static string Literal(IEnumerable<int> codePoints)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in codePoints)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                default: AppendChar(builder, c); break;
            }
        }
        return builder.Append('"').ToString();
    }

    /// <summary>A term matching one code point of <paramref name="set"/>: a literal, a class, a negated class or <c>.</c>.</summary>
    public static string Class(CodePointSet set)
    {
        if (set.IsEmpty)
            throw new ArgumentException("An empty set matches nothing and has no GBNF form.", nameof(set));
        if (set.Single is { } single)
            return Literal([single]);
        var complement = set.Complement();
        if (complement.IsEmpty)
            return ".";
        return complement.Ranges.Count < set.Ranges.Count ? Ranges(complement, "[^") : Ranges(set, "[");
    }

    private static string Ranges(CodePointSet set, string open)
    {
        var builder = new StringBuilder(open);
        foreach (var range in set.Ranges)
        {
            AppendClassChar(builder, range.First);
            if (range.Last == range.First)
                continue;
            if (range.Last > range.First + 1)
                builder.Append('-');
            AppendClassChar(builder, range.Last);
        }
        return builder.Append(']').ToString();
    }

    private static void AppendClassChar(StringBuilder builder, int c)
    {
        if (c is '\\' or ']' or '[' or '-' or '^' or '"')
            builder.Append(CultureInfo.InvariantCulture, $"\\x{c:X2}");
        else
            AppendChar(builder, c);
    }

    private static void AppendChar(StringBuilder builder, int c)
    {
        switch (c)
        {
            case '\n': builder.Append("\\n"); break;
            case '\r': builder.Append("\\r"); break;
            case '\t': builder.Append("\\t"); break;
            case < 0x20 or 0x7F: builder.Append(CultureInfo.InvariantCulture, $"\\x{c:X2}"); break;
            case < 0x7F: builder.Append((char)c); break;
            case <= 0xFFFF: builder.Append(CultureInfo.InvariantCulture, $"\\u{c:X4}"); break;
            default: builder.Append(CultureInfo.InvariantCulture, $"\\U{c:X8}"); break;
        }
    }
}
