using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Takeoff.Engine.Text.Jinja.Errors;

namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>
/// Jinja2's built-in filters that chat templates use, written after jinja2/filters.py (3.1), plus transformers'
/// <c>tojson</c>. A filter Jinja2 does not have is a parse error, as it is in Jinja2 (outside an if block).
/// </summary>
internal static partial class Filters
{
    private delegate object? Filter(Renderer renderer, object? value, CallArguments args);

    private static readonly Dictionary<string, Filter> All = new(StringComparer.Ordinal)
    {
        ["abs"] = (_, v, _) => v switch
        {
            bool or long => (object)Math.Abs(Py.ToLong(v)),
            double d => Math.Abs(d),
            _ => throw Py.TypeError($"bad operand type for abs(): '{Py.TypeName(v)}'"),
        },
        ["attr"] = (_, v, a) => Py.GetAttribute(v, Py.Str(a.Get(0, "name"))),
        ["capitalize"] = (_, v, _) => KeepMarkup(v, Methods.Capitalize(Py.Str(v))),
        ["count"] = (_, v, _) => Py.Length(v),
        ["length"] = (_, v, _) => Py.Length(v),
        ["default"] = Default,
        ["d"] = Default,
        ["dictsort"] = DictSort,
        ["escape"] = (_, v, _) => Markup.From(v),
        ["e"] = (_, v, _) => Markup.From(v),
        ["first"] = (_, v, _) => Py.Iterate(v).Take(1).ToList() is [var first] ? first : new Undefined("No first item, sequence was empty."),
        ["last"] = (_, v, _) => Reversed(v).Take(1).ToList() is [var last] ? last : new Undefined("No last item, sequence was empty."),
        ["reverse"] = (_, v, _) => v switch
        {
            string or Markup => KeepMarkup(v, string.Concat(Py.Iterate(v).Reverse().Select(Py.Str))),
            _ when Py.IsIterable(v) => Py.Iterate(v).Reverse().ToList(),
            _ => throw new TemplateException(TemplateErrorKind.Runtime, "argument must be iterable"),
        },
        // Python's int() and float() of an undefined raise UndefinedError, which these filters do not catch.
        ["float"] = (_, v, a) => v is Undefined u ? throw u.Error() : ToFloat(v) ?? a.Get(0, "default", 0.0),
        ["int"] = (_, v, a) => v is Undefined u ? throw u.Error() : ToInt(v, Py.ToLong(a.Get(1, "base", 10L))) ?? a.Get(0, "default", 0L),
        ["indent"] = Indent,
        ["items"] = (_, v, _) => v switch
        {
            Undefined => new Generator([]),
            PyDict dict => new Generator([.. dict.Select(p => (object?)new object?[] { p.Key, p.Value })]),
            _ => throw Py.TypeError("Can only get item pairs from a mapping."),
        },
        ["join"] = Join,
        ["list"] = (_, v, _) => Py.Iterate(v).ToList(),
        ["lower"] = (_, v, _) => KeepMarkup(v, Py.Str(v).ToLowerInvariant()),
        ["upper"] = (_, v, _) => KeepMarkup(v, Py.Str(v).ToUpperInvariant()),
        ["title"] = (_, v, _) => KeepMarkup(v, Title(Py.Str(v))),
        ["map"] = Map,
        ["max"] = (r, v, a) => MinMax(r, v, a, largest: true),
        ["min"] = (r, v, a) => MinMax(r, v, a, largest: false),
        ["reject"] = (r, v, a) => Select(r, v, a, byAttribute: false, keep: false),
        ["rejectattr"] = (r, v, a) => Select(r, v, a, byAttribute: true, keep: false),
        ["select"] = (r, v, a) => Select(r, v, a, byAttribute: false, keep: true),
        ["selectattr"] = (r, v, a) => Select(r, v, a, byAttribute: true, keep: true),
        ["replace"] = (r, v, a) => KeepMarkup(v, Methods.Replace(r, Py.Str(v), Py.Str(a.Get(0, "old")), Py.Str(a.Get(1, "new")),
            a.Get(2, "count") is null ? -1 : Py.ToLong(a.Get(2, "count")))),
        ["round"] = Round,
        ["safe"] = (_, v, _) => v as Markup ?? new Markup(Py.Str(v)),
        ["sort"] = Sort,
        ["string"] = (_, v, _) => v as Markup ?? (object)Py.Str(v),
        ["sum"] = Sum,
        ["tojson"] = ToJson,
        ["trim"] = (_, v, a) => KeepMarkup(v, Methods.Strip(Py.Str(v), a.Get(0, "chars") is { } chars ? Py.Str(chars) : null, true, true)),
        ["unique"] = Unique,
        ["wordcount"] = (_, v, _) => (long)WordPattern().Count(Py.Str(v)),
    };

    public static bool Exists(string name) => All.ContainsKey(name);

    public static object? Apply(Renderer renderer, string name, object? value, CallArguments arguments) =>
        All.TryGetValue(name, out var filter)
            ? filter(renderer, value, arguments)
            : throw new TemplateException(TemplateErrorKind.Runtime, $"No filter named '{name}' found.");

    [GeneratedRegex(@"\w+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"([-\s\(\{\[\<]+)")]
    private static partial Regex WordBeginning();

    private static object KeepMarkup(object? original, string result) => original is Markup ? new Markup(result) : result;

    private static string Title(string s) => string.Concat(WordBeginning().Split(s)
        .Where(item => item.Length > 0)
        .Select(item => char.ToUpperInvariant(item[0]) + item[1..].ToLowerInvariant()));

    private static object? Default(Renderer renderer, object? value, CallArguments args) =>
        value is Undefined || (Py.Truthy(args.Get(1, "boolean", false)) && !Py.Truthy(value)) ? args.Get(0, "default_value", "") : value;

    /// <summary>Python's reversed(): sequences and dicts only (an undefined is an empty sequence).</summary>
    private static IEnumerable<object?> Reversed(object? value) => value switch
    {
        List<object?> or object?[] or string or Markup or PyDict => Py.Iterate(value).Reverse(),
        Undefined => [],
        _ => throw Py.TypeError($"'{Py.TypeName(value)}' object is not reversible"),
    };

    /// <summary>Jinja2's round: Python's round(value, precision), so an int stays an int and halves go to even.</summary>
    private static object? Round(Renderer renderer, object? value, CallArguments args)
    {
        args.Check("round", "precision", "method");
        var precision = (int)Math.Clamp(Py.ToLong(args.Get(0, "precision", 0L)), -15, 15);
        var method = Py.Str(args.Get(1, "method", "common"));
        return value switch
        {
            bool or long when method == "common" => (object)Py.ToLong(value),
            bool or long or double => method switch
            {
                "common" => Math.Round(Py.ToDouble(value), Math.Max(precision, 0), MidpointRounding.ToEven),
                "ceil" => Math.Ceiling(Py.ToDouble(value) * Math.Pow(10, precision)) / Math.Pow(10, precision),
                "floor" => Math.Floor(Py.ToDouble(value) * Math.Pow(10, precision)) / Math.Pow(10, precision),
                _ => throw new TemplateException(TemplateErrorKind.Runtime, "method must be common, ceil or floor"),
            },
            _ => throw Py.TypeError($"type {Py.TypeName(value)} doesn't define __round__ method"),
        };
    }

    private static double? ToFloat(object? value)
    {
        switch (value)
        {
            case bool or long or double:
                return Py.ToDouble(value);
            case string or Markup:
                var text = Py.Text(value).Trim().Replace("_", "", StringComparison.Ordinal);
                return text.ToLowerInvariant() switch
                {
                    "inf" or "+inf" or "infinity" => double.PositiveInfinity,
                    "-inf" or "-infinity" => double.NegativeInfinity,
                    "nan" or "+nan" or "-nan" => double.NaN,
                    _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
                };
            default:
                return null;
        }
    }

    private static long? ToInt(object? value, long numberBase)
    {
        switch (value)
        {
            case bool or long:
                return Py.ToLong(value);
            case double d:
                return double.IsFinite(d) ? (long)d : null;
            case string or Markup:
                var text = Py.Text(value).Trim().Replace("_", "", StringComparison.Ordinal);
                try
                {
                    if (text.Length > 0)
                        return Convert.ToInt64(text, (int)numberBase);
                }
                catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
                {
                }

                return ToFloat(value) is { } f && double.IsFinite(f) ? (long)f : null;
            default:
                return null;
        }
    }

    private static List<object?> DictSort(Renderer renderer, object? value, CallArguments args)
    {
        args.Check("dictsort", "case_sensitive", "by", "reverse");
        if (value is Undefined undefined)
            throw undefined.Error();
        if (value is not PyDict dict)
            throw Py.TypeError($"'{Py.TypeName(value)}' object has no attribute 'items'");
        var caseSensitive = Py.Truthy(args.Get(0, "case_sensitive", false));
        var byValue = Py.Str(args.Get(1, "by", "key")) == "value";
        var items = dict.Select(p => (object?)new object?[] { p.Key, p.Value }).ToList();
        items = StableSort(items, item => SortKey(((object?[])item!)[byValue ? 1 : 0], caseSensitive), descending: false);
        if (Py.Truthy(args.Get(2, "reverse", false)))
            items.Reverse();
        return items;
    }

    /// <summary>
    /// Python's sorted(): stable, reverse=True as Python does it (reverse, sort, reverse), and short lists by binary
    /// insertion with Python's operand order, so a comparison Python refuses fails with Python's message. A
    /// refused comparison is the template's error, not the InvalidOperationException .NET's sort wraps it in.
    /// </summary>
    private static List<object?> StableSort(List<object?> items, Func<object?, object?> key, bool descending)
    {
        var keyed = items.Select(item => (Key: key(item), Item: item)).ToList();
        if (descending)
            keyed.Reverse();
        if (keyed.Count <= 64)
        {
            var sorted = new List<(object? Key, object? Item)>(keyed.Count);
            foreach (var pivot in keyed)
            {
                int lo = 0, hi = sorted.Count;
                while (lo < hi)
                {
                    var mid = (lo + hi) / 2;
                    if (Py.Compare(pivot.Key, sorted[mid].Key) < 0)
                        hi = mid;
                    else
                        lo = mid + 1;
                }

                sorted.Insert(lo, pivot);
            }

            keyed = sorted;
        }
        else
        {
            try
            {
                keyed = [.. keyed.OrderBy(k => k.Key, Comparer<object?>.Create((x, y) => Py.Compare(x, y)))];
            }
            catch (InvalidOperationException e) when (e.InnerException is TemplateException inner)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
                throw;
            }
        }

        if (descending)
            keyed.Reverse();
        return keyed.ConvertAll(k => k.Item);
    }

    private static object? SortKey(object? value, bool caseSensitive) =>
        !caseSensitive && Py.IsString(value) ? Py.Text(value!).ToLowerInvariant() : value;

    private static object? Indent(Renderer renderer, object? value, CallArguments args)
    {
        args.Check("indent", "width", "first", "blank");
        // Jinja2 starts with s += "\n": whatever that does to a non-string is the error templates see.
        if (!Py.IsString(value))
            throw value switch
            {
                Undefined u => u.Error(),
                List<object?> => Py.TypeError("'list' object has no attribute 'splitlines'"),
                object?[] => Py.TypeError("can only concatenate tuple (not \"str\") to tuple"),
                _ => Py.TypeError($"unsupported operand type(s) for +=: '{Py.TypeName(value)}' and 'str'"),
            };
        var width = args.Get(0, "width", 4L);
        var indentation = Py.IsString(width) ? Py.Text(width!) : new string(' ', (int)Math.Clamp(Py.ToLong(width), 0, 1000));
        var lines = SplitLines(Py.Text(value!) + "\n");
        string result;
        if (Py.Truthy(args.Get(2, "blank", false)))
        {
            result = string.Join("\n" + indentation, lines);
        }
        else
        {
            result = lines[0];
            if (lines.Count > 1)
                result += "\n" + string.Join("\n", lines.Skip(1).Select(line => line.Length > 0 ? indentation + line : line));
        }

        if (Py.Truthy(args.Get(1, "first", false)))
            result = indentation + result;
        return KeepMarkup(value, Arithmetic.Limit(result, renderer.Options.MaxOutputLength));
    }

    /// <summary>Python's str.splitlines: every line boundary Python knows, the last empty line dropped.</summary>
    public static List<string> SplitLines(string s)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is not ('\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029'))
                continue;
            lines.Add(s[start..i]);
            if (c == '\r' && i + 1 < s.Length && s[i + 1] == '\n')
                i++;
            start = i + 1;
        }

        if (start < s.Length)
            lines.Add(s[start..]);
        return lines;
    }

    private static string Join(Renderer renderer, object? value, CallArguments args)
    {
        args.Check("join", "d", "attribute");
        var separator = Py.Str(args.Get(0, "d", ""));
        var items = Py.Iterate(value);
        if (args.Get(1, "attribute") is { } attribute)
            items = items.Select(item => Attribute(item, attribute, null)).ToList();
        var sb = new StringBuilder();
        var first = true;
        foreach (var item in items)
        {
            if (!first)
                sb.Append(separator);
            first = false;
            sb.Append(Py.Str(item));
            renderer.CheckLength(sb.Length);
        }

        return sb.ToString();
    }

    /// <summary>Jinja2's make_attrgetter: a dotted path, each part an item lookup (digits as an index).</summary>
    private static object? Attribute(object? item, object? path, object? fallback)
    {
        var current = item;
        foreach (var part in Py.Str(path).Split('.'))
            current = Py.GetItem(current, long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : part);
        return current is Undefined && fallback is not null ? fallback : current;
    }

    private static Generator Map(Renderer renderer, object? value, CallArguments args)
    {
        // Jinja2 maps and selects only "if value": none gives an empty generator, not a TypeError.
        if (!Py.Truthy(value))
            return new Generator([]);
        var items = Py.Iterate(value).ToList();
        if (args.Positional.Count == 0 && args.Has(0, "attribute"))
        {
            var attribute = args.Get(99, "attribute");
            var fallback = args.Get(99, "default");
            return new Generator(items.ConvertAll(item => Attribute(item, attribute, fallback)));
        }

        if (args.Positional.Count == 0)
            throw Py.TypeError("map requires a filter argument");
        var name = Py.Str(args.Positional[0]);
        var rest = new CallArguments([.. args.Positional.Skip(1)], args.Named);
        return new Generator(items.ConvertAll(item => Apply(renderer, name, item, rest)));
    }

    private static Generator Select(Renderer renderer, object? value, CallArguments args, bool byAttribute, bool keep)
    {
        if (!Py.Truthy(value))
            return new Generator([]);
        var items = Py.Iterate(value).ToList();
        var skip = byAttribute ? 1 : 0;
        if (byAttribute && args.Positional.Count == 0)
            throw Py.TypeError("Missing parameter for attribute name");
        string? test = args.Positional.Count > skip ? Py.Str(args.Positional[skip]) : null;
        var rest = new CallArguments([.. args.Positional.Skip(skip + 1)], args.Named);
        var selected = items.Where(item =>
        {
            var subject = byAttribute ? Attribute(item, args.Positional[0], null) : item;
            var passed = test is null ? Py.Truthy(subject) : TestFunctions.Apply(renderer, test, subject, rest);
            return passed == keep;
        });
        return new Generator(selected.ToList());
    }

    private static object? MinMax(Renderer renderer, object? value, CallArguments args, bool largest)
    {
        args.Check(largest ? "max" : "min", "case_sensitive", "attribute");
        var caseSensitive = Py.Truthy(args.Get(0, "case_sensitive", false));
        var attribute = args.Get(1, "attribute");
        object? best = null;
        object? bestKey = null;
        var any = false;
        foreach (var item in Py.Iterate(value))
        {
            var key = SortKey(attribute is null ? item : Attribute(item, attribute, null), caseSensitive);
            if (!any || (largest ? Py.Compare(key, bestKey, ">") > 0 : Py.Compare(key, bestKey) < 0))
                (best, bestKey, any) = (item, key, true);
        }

        return any ? best : new Undefined("No aggregated item, sequence was empty.");
    }

    private static List<object?> Sort(Renderer renderer, object? value, CallArguments args)
    {
        args.Check("sort", "reverse", "case_sensitive", "attribute");
        var caseSensitive = Py.Truthy(args.Get(1, "case_sensitive", false));
        var attribute = args.Get(2, "attribute");
        var items = Py.Iterate(value).ToList();
        return StableSort(items, item => SortKey(attribute is null ? item : Attribute(item, attribute, null), caseSensitive),
            descending: Py.Truthy(args.Get(0, "reverse", false)));
    }

    private static object? Sum(Renderer renderer, object? value, CallArguments args)
    {
        args.Check("sum", "attribute", "start");
        var attribute = args.Get(0, "attribute");
        var total = args.Get(1, "start", 0L);
        foreach (var item in Py.Iterate(value))
            total = Arithmetic.Binary("+", total, attribute is null ? item : Attribute(item, attribute, null), renderer.Options.MaxOutputLength);
        return total;
    }

    private static Generator Unique(Renderer renderer, object? value, CallArguments args)
    {
        args.Check("unique", "case_sensitive", "attribute");
        var caseSensitive = Py.Truthy(args.Get(0, "case_sensitive", false));
        var attribute = args.Get(1, "attribute");
        var seen = new HashSet<object>(PyKeyComparer.Instance);
        var result = new List<object?>();
        foreach (var item in Py.Iterate(value))
        {
            var key = SortKey(attribute is null ? item : Attribute(item, attribute, null), caseSensitive);
            if (seen.Add(PyDict.Key(key)))
                result.Add(item);
        }

        return new Generator(result);
    }

    /// <summary>transformers' tojson: <c>json.dumps(x, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys)</c>.</summary>
    private static string ToJson(Renderer renderer, object? value, CallArguments args)
    {
        args.Check("tojson", "ensure_ascii", "indent", "separators", "sort_keys");
        var indent = args.Get(1, "indent") switch
        {
            null => null,
            string s => s,
            var n => new string(' ', (int)Math.Clamp(Py.ToLong(n), 0, 1000)),
        };
        string itemSeparator = indent is null ? ", " : ",", keySeparator = ": ";
        if (args.Get(2, "separators") is { } separators and not Undefined)
        {
            var pair = Py.Iterate(separators).ToList();
            if (pair.Count != 2)
                throw Py.TypeError("separators must be an (item_separator, key_separator) pair");
            (itemSeparator, keySeparator) = (Py.Str(pair[0]), Py.Str(pair[1]));
        }

        var json = Json.Dumps(value, Py.Truthy(args.Get(0, "ensure_ascii", false)), indent, itemSeparator, keySeparator,
            Py.Truthy(args.Get(3, "sort_keys", false)));
        return Arithmetic.Limit(json, renderer.Options.MaxOutputLength);
    }
}
