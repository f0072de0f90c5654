using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Takeoff.Engine.Text.Jinja.Errors;

namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>
/// Python's semantics over the closed set of template values: <c>null</c> (None), <c>bool</c>, <c>long</c>,
/// <c>double</c>, <c>string</c>, <see cref="Markup"/>, <c>List&lt;object?&gt;</c> (list), <c>object?[]</c> (tuple),
/// <see cref="PyDict"/>, <see cref="Undefined"/>, <see cref="Namespace"/>, <see cref="Generator"/>,
/// <see cref="LoopContext"/> and <see cref="Callable"/>. Chat templates print lists and None, compare across types
/// and concatenate strings, and Jinja2's output is whatever Python does there, errors included.
/// </summary>
internal static class Py
{
    public static TemplateException TypeError(string message) => new(TemplateErrorKind.Runtime, message);

    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        Markup => "Markup",
        List<object?> => "list",
        object?[] => "tuple",
        PyDict => "dict",
        Undefined => "Undefined",
        Namespace => "Namespace",
        Generator => "generator",
        LoopContext => "LoopContext",
        MacroFunction => "Macro",
        BoundMethod => "builtin_function_or_method",
        Callable => "function",
        _ => value.GetType().Name,
    };

    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        Markup m => m.Text.Length > 0,
        List<object?> list => list.Count > 0,
        object?[] tuple => tuple.Length > 0,
        PyDict dict => dict.Count > 0,
        Undefined => false,
        _ => true,
    };

    public static bool IsNumber(object? value) => value is bool or long or double;

    public static bool IsString(object? value) => value is string or Markup;

    public static string Text(object value) => value is Markup m ? m.Text : (string)value;

    /// <summary>Python's <c>str()</c>, which is what <c>{{ }}</c> prints.</summary>
    public static string Str(object? value) => value switch
    {
        string s => s,
        Markup m => m.Text,
        Undefined => "",
        null => "None",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FloatRepr(d),
        _ => Repr(value),
    };

    /// <summary>Python's <c>repr()</c>: strings quoted as Python quotes them, containers with their items' repr.</summary>
    public static string Repr(object? value)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, value);
        return sb.ToString();
    }

    private static void AppendRepr(StringBuilder sb, object? value)
    {
        EnsureStack();
        switch (value)
        {
            case string s:
                AppendStringRepr(sb, s);
                break;
            case Markup m:
                sb.Append("Markup(");
                AppendStringRepr(sb, m.Text);
                sb.Append(')');
                break;
            case List<object?> list:
                sb.Append('[');
                AppendItems(sb, list);
                sb.Append(']');
                break;
            case object?[] tuple:
                sb.Append('(');
                AppendItems(sb, tuple);
                sb.Append(tuple.Length == 1 ? ",)" : ")");
                break;
            case PyDict dict:
                sb.Append('{');
                var first = true;
                foreach (var (key, item) in dict)
                {
                    if (!first)
                        sb.Append(", ");
                    first = false;
                    AppendRepr(sb, key);
                    sb.Append(": ");
                    AppendRepr(sb, item);
                }

                sb.Append('}');
                break;
            case Undefined:
                sb.Append("Undefined");
                break;
            case Namespace ns:
                sb.Append("<Namespace ");
                AppendRepr(sb, ToDict(ns.Attributes));
                sb.Append('>');
                break;
            case Generator:
                sb.Append("<generator object>");
                break;
            case Callable callable:
                sb.Append(callable is MacroFunction ? $"<Macro '{callable.Name}'>" : $"<function {callable.Name}>");
                break;
            case LoopContext:
                sb.Append("<LoopContext>");
                break;
            default:
                sb.Append(Str(value));
                break;
        }
    }

    private static PyDict ToDict(Dictionary<string, object?> attributes)
    {
        var dict = new PyDict();
        foreach (var (key, value) in attributes)
            dict[key] = value;
        return dict;
    }

    private static void AppendItems(StringBuilder sb, IEnumerable<object?> items)
    {
        var first = true;
        foreach (var item in items)
        {
            if (!first)
                sb.Append(", ");
            first = false;
            AppendRepr(sb, item);
        }
    }

    private static void AppendStringRepr(StringBuilder sb, string s)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        sb.Append(quote);
        foreach (var rune in s.EnumerateRunes())
        {
            var c = rune.Value;
            if (c == quote || c == '\\')
                sb.Append('\\').Append((char)c);
            else if (c == '\n')
                sb.Append("\\n");
            else if (c == '\r')
                sb.Append("\\r");
            else if (c == '\t')
                sb.Append("\\t");
            else if (c < 0x20 || c == 0x7f)
                sb.Append(CultureInfo.InvariantCulture, $"\\x{c:x2}");
            else if (c < 0x7f || IsPrintable(rune))
                sb.Append(rune.ToString());
            else if (c <= 0xff)
                sb.Append(CultureInfo.InvariantCulture, $"\\x{c:x2}");
            else if (c <= 0xffff)
                sb.Append(CultureInfo.InvariantCulture, $"\\u{c:x4}");
            else
                sb.Append(CultureInfo.InvariantCulture, $"\\U{c:x8}");
        }

        sb.Append(quote);
    }

    private static bool IsPrintable(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.SpaceSeparator => false,
        _ => true,
    };

    /// <summary>Python's float repr: the shortest round-trip digits, positional from 1e-4 up to 1e16, else 1e+16.</summary>
    public static string FloatRepr(double d)
    {
        if (double.IsNaN(d))
            return "nan";
        if (double.IsInfinity(d))
            return d > 0 ? "inf" : "-inf";
        if (d == 0)
            return double.IsNegative(d) ? "-0.0" : "0.0";

        var shortest = d.ToString("R", CultureInfo.InvariantCulture);
        // Digits and decimal exponent from the shortest round-trip form.
        var negative = shortest.StartsWith('-');
        var body = negative ? shortest[1..] : shortest;
        var exponent = 0;
        var e = body.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(body[(e + 1)..], CultureInfo.InvariantCulture);
            body = body[..e];
        }

        var dot = body.IndexOf('.');
        var intPart = dot < 0 ? body : body[..dot];
        var fracPart = dot < 0 ? "" : body[(dot + 1)..];
        var digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - digits.Length;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
            return "0.0";
        // The value is 0.DIGITS * 10^point.
        var point = intPart.Length - leadingZeros + exponent;

        var sb = new StringBuilder();
        if (negative)
            sb.Append('-');
        if (point > -4 && point <= 16)
        {
            if (point <= 0)
                sb.Append("0.").Append('0', -point).Append(digits);
            else if (point >= digits.Length)
                sb.Append(digits).Append('0', point - digits.Length).Append(".0");
            else
                sb.Append(digits[..point]).Append('.').Append(digits[point..]);
        }
        else
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
                sb.Append('.').Append(digits[1..]);
            var exp = point - 1;
            sb.Append('e').Append(exp < 0 ? '-' : '+').Append(Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    public static void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new TemplateException(TemplateErrorKind.Limit, "template values or calls nested too deeply");
    }

    public static IEnumerable<object?> Iterate(object? value) => value switch
    {
        List<object?> list => list,
        object?[] tuple => tuple,
        PyDict dict => dict.Keys,
        string s => Characters(s),
        // markupsafe overrides indexing and slicing (they stay Markup) but not iteration, which gives plain str.
        Markup m => Characters(m.Text),
        Generator generator => generator.Consume(),
        Undefined => [],
        _ => throw TypeError($"'{TypeName(value)}' object is not iterable"),
    };

    public static bool IsIterable(object? value) =>
        value is List<object?> or object?[] or PyDict or string or Markup or Generator or Undefined;

    private static IEnumerable<object?> Characters(string s)
    {
        foreach (var rune in s.EnumerateRunes())
            yield return rune.ToString();
    }

    /// <summary>Python's len(): strings count code points, not UTF-16 units.</summary>
    public static long Length(object? value) => value switch
    {
        string s => CodePoints(s),
        Markup m => CodePoints(m.Text),
        List<object?> list => list.Count,
        object?[] tuple => tuple.Length,
        PyDict dict => dict.Count,
        Undefined => 0,
        _ => throw TypeError($"object of type '{TypeName(value)}' has no len()"),
    };

    private static int CodePoints(string s)
    {
        var surrogates = 0;
        foreach (var c in s)
        {
            if (char.IsHighSurrogate(c))
                surrogates++;
        }

        return s.Length - surrogates;
    }

    public static bool Equal(object? a, object? b)
    {
        EnsureStack();
        switch (a)
        {
            case null:
                return b is null;
            case bool or long or double when IsNumber(b):
                return a is double || b is double ? ToDouble(a) == ToDouble(b) : ToLong(a) == ToLong(b);
            case string or Markup when IsString(b):
                return Text(a) == Text(b!);
            case List<object?> x when b is List<object?> y:
                return x.Count == y.Count && x.Zip(y).All(p => Equal(p.First, p.Second));
            case object?[] x when b is object?[] y:
                return x.Length == y.Length && x.Zip(y).All(p => Equal(p.First, p.Second));
            case PyDict x when b is PyDict y:
                return x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var other) && Equal(p.Value, other));
            case Undefined:
                return b is Undefined;
            default:
                return ReferenceEquals(a, b);
        }
    }

    /// <summary>Python's ordering: numbers with numbers, strings with strings, sequences item by item.</summary>
    public static int Compare(object? a, object? b, string op = "<")
    {
        EnsureStack();
        if (a is Undefined u)
            throw u.Error();
        if (b is Undefined v)
            throw v.Error();
        if (IsNumber(a) && IsNumber(b))
            return a is double || b is double ? ToDouble(a).CompareTo(ToDouble(b)) : ToLong(a).CompareTo(ToLong(b));
        if (IsString(a) && IsString(b))
            return string.CompareOrdinal(Text(a!), Text(b!));
        if ((a is List<object?> && b is List<object?>) || (a is object?[] && b is object?[]))
        {
            var x = Iterate(a).ToList();
            var y = Iterate(b).ToList();
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                if (!Equal(x[i], y[i]))
                    return Compare(x[i], y[i], op);
            }

            return x.Count.CompareTo(y.Count);
        }

        throw TypeError($"'{op}' not supported between instances of '{TypeName(a)}' and '{TypeName(b)}'");
    }

    public static long ToLong(object? value) => value switch
    {
        bool b => b ? 1 : 0,
        long l => l,
        double d => (long)d,
        _ => throw TypeError($"expected a number, got '{TypeName(value)}'"),
    };

    public static double ToDouble(object? value) => value switch
    {
        bool b => b ? 1 : 0,
        long l => l,
        double d => d,
        _ => throw TypeError($"expected a number, got '{TypeName(value)}'"),
    };

    public static bool Contains(object? container, object? item)
    {
        switch (container)
        {
            case string or Markup:
                if (!IsString(item))
                    throw TypeError($"'in <string>' requires string as left operand, not {TypeName(item)}");
                return Text(container).Contains(Text(item!), StringComparison.Ordinal);
            case PyDict dict:
                return item is not null and not Undefined && dict.ContainsKey(PyDict.Key(item));
            case List<object?> or object?[] or Generator or Undefined:
                return Iterate(container).Any(x => Equal(x, item));
            default:
                throw TypeError($"argument of type '{TypeName(container)}' is not iterable");
        }
    }

    /// <summary>Item access as Jinja2's <c>environment.getitem</c>: a missing item is undefined, not an error.</summary>
    public static object? GetItem(object? target, object? key)
    {
        switch (target)
        {
            case Undefined u:
                throw u.Error();
            case PyDict dict when key is not null and not Undefined and not List<object?> and not PyDict:
                if (dict.TryGetValue(PyDict.Key(key), out var value))
                    return value;
                break;
            case string s when key is long or bool && s.Length == CodePoints(s):
                // No surrogate pairs: UTF-16 units are code points, and a long message is not copied to read one.
                var position = ToLong(key);
                if (position < 0)
                    position += s.Length;
                return position >= 0 && position < s.Length ? s[(int)position].ToString() : Undefined.ForItem(target, key);
            case List<object?> or object?[] or string or Markup when key is long or bool:
                var items = target is string or Markup ? Iterate(target).ToList() : (IReadOnlyList<object?>)target;
                var index = ToLong(key);
                if (index < 0)
                    index += items.Count;
                if (index >= 0 && index < items.Count)
                    return target is Markup ? new Markup((string)items[(int)index]!) : items[(int)index];
                return Undefined.ForItem(target, key);
        }

        return key is string name ? GetAttribute(target, name) : Undefined.ForItem(target, key);
    }

    /// <summary>Attribute access as Jinja2's sandboxed <c>getattr</c>: methods first, then items of a dict.</summary>
    public static object? GetAttribute(object? target, string name)
    {
        switch (target)
        {
            case Undefined u:
                throw u.Error();
            case Namespace ns:
                return ns.Attributes.TryGetValue(name, out var value) ? value : Undefined.ForAttribute(target, name);
            case LoopContext loop:
                return loop.Attribute(name);
            case PyDict dict:
                if (Methods.Has(target, name))
                    return Methods.Bind(target, name);
                return dict.TryGetValue(name, out var item) ? item : Undefined.ForAttribute(target, name);
            case not null when Methods.Has(target, name):
                return Methods.Bind(target, name);
            default:
                return Undefined.ForAttribute(target, name);
        }
    }

    public static object? Slice(object? target, object? start, object? stop, object? step)
    {
        if (target is Undefined u)
            throw u.Error();
        // Jinja2 compiles a slice to a plain Python subscript (not its forgiving getitem), so Python's errors show.
        IReadOnlyList<object?> items = target switch
        {
            List<object?> list => list,
            object?[] tuple => tuple,
            string or Markup => Iterate(target).ToList(),
            PyDict => throw TypeError("unhashable type: 'slice'"),
            _ => throw TypeError($"'{TypeName(target)}' object is not subscriptable"),
        };
        var count = items.Count;
        var s = step is null ? 1 : ToLong(step);
        if (s == 0)
            throw TypeError("slice step cannot be zero");
        long Bound(object? value, long fallback)
        {
            if (value is null)
                return fallback;
            var i = ToLong(value);
            if (i < 0)
                i += count;
            return s > 0 ? Math.Clamp(i, 0, count) : Math.Clamp(i, -1, count - 1);
        }

        var from = Bound(start, s > 0 ? 0 : count - 1);
        var to = Bound(stop, s > 0 ? count : -1);
        var result = new List<object?>();
        for (var i = from; s > 0 ? i < to : i > to; i += s)
            result.Add(items[(int)i]);

        return target switch
        {
            object?[] => result.ToArray(),
            string => string.Concat(result.Cast<string>()),
            Markup => new Markup(string.Concat(result.Cast<string>())),
            _ => (object)result,
        };
    }
}
