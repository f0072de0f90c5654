using System.Globalization;
using System.Text;
using Takeoff.Engine.Text.Jinja.Errors;

namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>
/// Python's printf-style <c>"text %s" % args</c>, which Jinja2 leaves to Python: conversions s r a d i u f F e E x
/// X o c and %, flags, width, precision and <c>%(key)s</c>. Python's quirks are kept because templates see them: a
/// list, dict or undefined on the right is taken as a mapping, so extra arguments are not an error there.
/// </summary>
internal static class PercentFormat
{
    public static string Format(string format, object? args, int maxLength)
    {
        var positional = args as object?[];
        var mapping = positional is null && args is List<object?> or PyDict or Undefined ? args : null;
        var index = 0;
        var singleUsed = false;
        var sb = new StringBuilder();

        object? Next()
        {
            if (positional is not null)
                return index < positional.Length ? positional[index++] : throw Py.TypeError("not enough arguments for format string");
            if (singleUsed)
                throw Py.TypeError("not enough arguments for format string");
            singleUsed = true;
            return args;
        }

        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                sb.Append(format[i]);
                continue;
            }

            if (++i >= format.Length)
                throw Py.TypeError("incomplete format");
            object? value = null;
            var keyed = false;
            if (format[i] == '(')
            {
                var close = format.IndexOf(')', i);
                if (close < 0)
                    throw Py.TypeError("incomplete format key");
                if (mapping is null)
                    throw Py.TypeError("format requires a mapping");
                value = Py.GetItem(mapping, format[(i + 1)..close]);
                keyed = true;
                i = close + 1;
            }

            var flags = "";
            while (i < format.Length && format[i] is '-' or '+' or ' ' or '#' or '0')
                flags += format[i++];
            var width = ReadNumber(format, ref i, Next);
            int? precision = null;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = ReadNumber(format, ref i, Next) ?? 0;
            }

            while (i < format.Length && format[i] is 'h' or 'l' or 'L')
                i++;
            if (i >= format.Length)
                throw Py.TypeError("incomplete format");
            var conversion = format[i];
            if (conversion == '%')
            {
                sb.Append('%');
                continue;
            }

            if (!keyed)
                value = Next();
            var text = Convert(conversion, value, flags, precision);
            var pad = (width ?? 0) - text.Length;
            if (pad > 0)
            {
                var numeric = conversion is not ('s' or 'r' or 'a' or 'c');
                if (flags.Contains('-'))
                    text += new string(' ', pad);
                else if (flags.Contains('0') && numeric)
                    text = text.Length > 0 && text[0] is '-' or '+' or ' ' ? text[0] + new string('0', pad) + text[1..] : new string('0', pad) + text;
                else
                    text = new string(' ', pad) + text;
            }

            sb.Append(text);
            if (sb.Length > maxLength)
                throw new TemplateException(TemplateErrorKind.Limit, $"a string grew past the output limit of {maxLength} characters");
        }

        if (mapping is null && ((positional is not null && index < positional.Length) || (positional is null && !singleUsed)))
            throw Py.TypeError("not all arguments converted during string formatting");
        return sb.ToString();
    }

    private static int? ReadNumber(string format, ref int i, Func<object?> next)
    {
        if (i < format.Length && format[i] == '*')
        {
            i++;
            return next() is long l ? (int)Math.Clamp(l, -100_000, 100_000) : throw Py.TypeError("* wants int");
        }

        var start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
            i++;
        return i > start ? (int)Math.Min(100_000, long.Parse(format.AsSpan(start, i - start), CultureInfo.InvariantCulture)) : null;
    }

    private static string Convert(char conversion, object? value, string flags, int? precision)
    {
        var c = CultureInfo.InvariantCulture;
        switch (conversion)
        {
            case 's':
                var s = Py.Str(value);
                return precision is { } p && p < s.Length ? s[..p] : s;
            case 'r' or 'a':
                var r = Py.Repr(value);
                return precision is { } q && q < r.Length ? r[..q] : r;
            case 'd' or 'i' or 'u':
                return WithSign(Integer(value, $"%{conversion} format: a real number is required").ToString(c), flags);
            case 'x' or 'X' or 'o':
                if (value is double)
                    throw Py.TypeError($"%{conversion} format: an integer is required, not float");
                var n = Integer(value, $"%{conversion} format: an integer is required");
                var body = conversion == 'o' ? System.Convert.ToString(Math.Abs(n), 8) : Math.Abs(n).ToString(conversion == 'x' ? "x" : "X", c);
                if (flags.Contains('#'))
                    body = (conversion == 'o' ? "0o" : conversion == 'x' ? "0x" : "0X") + body;
                return WithSign((n < 0 ? "-" : "") + body, flags);
            case 'f' or 'F' or 'e' or 'E':
                var d = Real(value);
                var digitsAfter = precision ?? 6;
                var formatted = double.IsFinite(d)
                    ? conversion is 'f' or 'F'
                        ? d.ToString("F" + digitsAfter, c)
                        : d.ToString((digitsAfter == 0 ? "0" : "0." + new string('0', digitsAfter)) + (conversion == 'e' ? "e+00" : "E+00"), c)
                    : double.IsNaN(d) ? "nan" : d > 0 ? "inf" : "-inf";
                return WithSign(formatted, flags);
            case 'c':
                return value switch
                {
                    long code when code is >= 0 and <= 0x10FFFF => char.ConvertFromUtf32((int)code),
                    string { Length: 1 } one => one,
                    _ => throw Py.TypeError("%c requires an int or a unicode character"),
                };
            default:
                throw Py.TypeError($"unsupported format character '{conversion}' (0x{(int)conversion:x})");
        }
    }

    private static string WithSign(string digits, string flags) =>
        digits.StartsWith('-') ? digits : flags.Contains('+') ? "+" + digits : flags.Contains(' ') ? " " + digits : digits;

    private static long Integer(object? value, string message) => value switch
    {
        bool or long => Py.ToLong(value),
        double d when double.IsFinite(d) => (long)d,
        Undefined u => throw u.Error(),
        _ => throw Py.TypeError($"{message}, not {Py.TypeName(value)}"),
    };

    private static double Real(object? value) => value switch
    {
        bool or long or double => Py.ToDouble(value),
        Undefined u => throw u.Error(),
        _ => throw Py.TypeError($"must be real number, not {Py.TypeName(value)}"),
    };
}
