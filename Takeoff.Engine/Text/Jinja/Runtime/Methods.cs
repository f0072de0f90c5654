using System.Globalization;
using System.Text;

namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>
/// The Python methods templates call on strings, lists and dicts (<c>content.strip()</c>, <c>tool.get('x')</c>).
/// Methods that mutate are refused as Jinja2's ImmutableSandboxedEnvironment refuses them: the attribute is an
/// undefined whose use raises "access to attribute ... is unsafe".
/// </summary>
internal static class Methods
{
    private static readonly HashSet<string> StringMethods =
    [
        "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "startswith", "endswith", "upper", "lower",
        "title", "capitalize", "swapcase", "replace", "find", "rfind", "index", "rindex", "count", "join",
        "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isnumeric", "isdecimal", "zfill",
        "removeprefix", "removesuffix", "center", "ljust", "rjust",
    ];

    private static readonly HashSet<string> DictMethods = ["get", "items", "keys", "values", "copy"];
    private static readonly HashSet<string> UnsafeDictMethods = ["pop", "popitem", "setdefault", "update", "clear"];
    private static readonly HashSet<string> ListMethods = ["index", "count", "copy"];
    private static readonly HashSet<string> UnsafeListMethods = ["append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear"];

    public static bool Has(object target, string name) => target switch
    {
        string or Markup => StringMethods.Contains(name),
        PyDict => DictMethods.Contains(name) || UnsafeDictMethods.Contains(name),
        List<object?> => ListMethods.Contains(name) || UnsafeListMethods.Contains(name),
        object?[] => name is "index" or "count",
        _ => false,
    };

    public static object Bind(object target, string name) =>
        (target is PyDict && UnsafeDictMethods.Contains(name)) || (target is List<object?> && UnsafeListMethods.Contains(name))
            ? new Undefined($"access to attribute '{name}' of '{Py.TypeName(target)}' object is unsafe.")
            : new BoundMethod(target, name);

    public static object? Call(Renderer renderer, object target, string name, CallArguments args) => target switch
    {
        string s => CallString(renderer, s, name, args),
        Markup m => CallString(renderer, m.Text, name, args) switch
        {
            string result => new Markup(result),
            List<object?> parts => parts.Select(p => p is string t ? new Markup(t) : p).ToList(),
            var other => other,
        },
        PyDict dict => CallDict(dict, name, args),
        _ => CallSequence(Py.Iterate(target).ToList(), name, args, target),
    };

    private static object? CallDict(PyDict dict, string name, CallArguments args)
    {
        switch (name)
        {
            case "get":
                args.Check("get", "key", "default");
                var key = args.Get(0, "key");
                return key is not null and not Undefined && dict.TryGetValue(PyDict.Key(key), out var value) ? value : args.Get(1, "default");
            case "items":
                args.Check("items");
                return dict.Select(p => (object?)new object?[] { p.Key, p.Value }).ToList();
            case "keys":
                args.Check("keys");
                return dict.Keys.Cast<object?>().ToList();
            case "values":
                args.Check("values");
                return dict.Values.ToList();
            default:
                var copy = new PyDict();
                foreach (var (k, v) in dict)
                    copy[k] = v;
                return copy;
        }
    }

    private static object? CallSequence(List<object?> items, string name, CallArguments args, object original)
    {
        var x = args.Get(0, "value");
        return name switch
        {
            "count" => (long)items.Count(i => Py.Equal(i, x)),
            "index" => items.FindIndex(i => Py.Equal(i, x)) is var i and >= 0 ? (long)i : throw Py.TypeError($"{Py.Repr(x)} is not in list"),
            _ => original is object?[] ? items.ToArray() : items,
        };
    }

    private static object? CallString(Renderer renderer, string s, string name, CallArguments args)
    {
        switch (name)
        {
            case "strip" or "lstrip" or "rstrip":
                var chars = OptionalString(args.Get(0, "chars"));
                return Strip(s, chars, name != "rstrip", name != "lstrip");
            case "split" or "rsplit":
                return Split(s, OptionalString(args.Get(0, "sep")), Py.ToLong(args.Get(1, "maxsplit", -1L)), name == "rsplit")
                    .Select(p => (object?)p).ToList();
            case "splitlines":
                return Filters.SplitLines(s).Select(line => (object?)line).ToList();
            case "startswith" or "endswith":
                var affix = args.Get(0, "prefix");
                var options = affix is object?[] tuple ? tuple.Select(Required).ToList() : [Required(affix)];
                return options.Any(o => name == "startswith" ? s.StartsWith(o, StringComparison.Ordinal) : s.EndsWith(o, StringComparison.Ordinal));
            case "upper":
                return s.ToUpperInvariant();
            case "lower":
                return s.ToLowerInvariant();
            case "title":
                return Title(s);
            case "capitalize":
                return s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();
            case "swapcase":
                return string.Concat(s.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)));
            case "replace":
                return Replace(renderer, s, Required(args.Get(0, "old")), Required(args.Get(1, "new")), Py.ToLong(args.Get(2, "count", -1L)));
            case "find" or "index":
                var found = s.IndexOf(Required(args.Get(0, "sub")), StringComparison.Ordinal);
                return found < 0 && name == "index" ? throw Py.TypeError("substring not found") : (long)found;
            case "rfind" or "rindex":
                var last = s.LastIndexOf(Required(args.Get(0, "sub")), StringComparison.Ordinal);
                return last < 0 && name == "rindex" ? throw Py.TypeError("substring not found") : (long)last;
            case "count":
                var sub = Required(args.Get(0, "sub"));
                return sub.Length == 0 ? Py.Length(s) + 1 : (long)((s.Length - s.Replace(sub, "", StringComparison.Ordinal).Length) / sub.Length);
            case "join":
                return Join(renderer, s, args.Get(0, "iterable"));
            case "removeprefix":
                var prefix = Required(args.Get(0, "prefix"));
                return s.StartsWith(prefix, StringComparison.Ordinal) ? s[prefix.Length..] : s;
            case "removesuffix":
                var suffix = Required(args.Get(0, "suffix"));
                return suffix.Length > 0 && s.EndsWith(suffix, StringComparison.Ordinal) ? s[..^suffix.Length] : s;
            case "zfill":
                return s.PadLeft((int)Math.Min(Py.ToLong(args.Get(0, "width")), renderer.Options.MaxOutputLength), '0');
            case "center" or "ljust" or "rjust":
                var width = (int)Math.Min(Py.ToLong(args.Get(0, "width")), renderer.Options.MaxOutputLength);
                var fill = OptionalString(args.Get(1, "fillchar")) ?? " ";
                var pad = Math.Max(0, width - s.Length);
                var left = name == "rjust" ? pad : name == "center" ? pad / 2 : 0;
                return new string(fill[0], left) + s + new string(fill[0], pad - left);
            default:
                return name switch
                {
                    "isdigit" or "isnumeric" or "isdecimal" => s.Length > 0 && s.All(char.IsDigit),
                    "isalpha" => s.Length > 0 && s.All(char.IsLetter),
                    "isalnum" => s.Length > 0 && s.All(char.IsLetterOrDigit),
                    "isspace" => s.Length > 0 && s.All(IsSpace),
                    "isupper" => s.Any(char.IsLetter) && !s.Any(char.IsLower),
                    _ => s.Any(char.IsLetter) && !s.Any(char.IsUpper),
                };
        }
    }

    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    private static string? OptionalString(object? value) => value switch
    {
        null or Undefined => null,
        string or Markup => Py.Text(value),
        _ => throw Py.TypeError($"must be str, not {Py.TypeName(value)}"),
    };

    private static string Required(object? value) =>
        OptionalString(value) ?? throw Py.TypeError($"must be str, not {Py.TypeName(value)}");

    public static string Strip(string s, string? chars, bool left, bool right)
    {
        bool Strippable(char c) => chars is null ? IsSpace(c) : chars.Contains(c);
        int start = 0, end = s.Length;
        while (left && start < end && Strippable(s[start]))
            start++;
        while (right && end > start && Strippable(s[end - 1]))
            end--;
        return s[start..end];
    }

    /// <summary>Python's str.split / rsplit, including the no-separator form that splits on runs of whitespace.</summary>
    public static List<string> Split(string s, string? separator, long maxSplit, bool fromRight)
    {
        if (separator is { Length: 0 })
            throw Py.TypeError("empty separator");
        var limit = maxSplit < 0 ? long.MaxValue : maxSplit;
        var parts = new List<string>();
        if (separator is null)
        {
            var words = new List<(int Start, int End)>();
            for (var i = 0; i < s.Length;)
            {
                while (i < s.Length && IsSpace(s[i]))
                    i++;
                if (i == s.Length)
                    break;
                var start = i;
                while (i < s.Length && !IsSpace(s[i]))
                    i++;
                words.Add((start, i));
            }

            if (words.Count == 0)
                return parts;
            if (words.Count - 1 <= limit)
                return words.ConvertAll(w => s[w.Start..w.End]);
            if (!fromRight)
            {
                parts.AddRange(words.Take((int)limit).Select(w => s[w.Start..w.End]));
                parts.Add(s[words[(int)limit].Start..]);
                return parts;
            }

            var keep = words.Count - (int)limit;
            parts.Add(s[..words[keep - 1].End]);
            parts.AddRange(words.Skip(keep).Select(w => s[w.Start..w.End]));
            return parts;
        }

        if (!fromRight)
        {
            var pos = 0;
            while (parts.Count < limit)
            {
                var next = s.IndexOf(separator, pos, StringComparison.Ordinal);
                if (next < 0)
                    break;
                parts.Add(s[pos..next]);
                pos = next + separator.Length;
            }

            parts.Add(s[pos..]);
            return parts;
        }

        var end = s.Length;
        var reversed = new List<string>();
        while (reversed.Count < limit)
        {
            var next = end - separator.Length < 0 ? -1 : s.LastIndexOf(separator, end - 1, end, StringComparison.Ordinal);
            if (next < 0 || next + separator.Length > end)
                break;
            reversed.Add(s[(next + separator.Length)..end]);
            end = next;
        }

        reversed.Add(s[..end]);
        reversed.Reverse();
        return reversed;
    }

    public static string Replace(Renderer renderer, string s, string old, string replacement, long count)
    {
        var sb = new StringBuilder();
        if (old.Length == 0)
        {
            // Python inserts the replacement between every character (and at both ends).
            var n = 0L;
            foreach (var rune in s.EnumerateRunes())
            {
                if (count < 0 || n++ < count)
                    sb.Append(replacement);
                sb.Append(rune.ToString());
                renderer.CheckLength(sb.Length);
            }

            if (count < 0 || n < count)
                sb.Append(replacement);
            return sb.ToString();
        }

        var pos = 0;
        for (var done = 0L; count < 0 || done < count; done++)
        {
            var next = s.IndexOf(old, pos, StringComparison.Ordinal);
            if (next < 0)
                break;
            sb.Append(s, pos, next - pos).Append(replacement);
            renderer.CheckLength(sb.Length);
            pos = next + old.Length;
        }

        return sb.Append(s, pos, s.Length - pos).ToString();
    }

    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var previousCased = false;
        foreach (var c in s)
        {
            sb.Append(previousCased ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
            previousCased = char.IsLetter(c);
        }

        return sb.ToString();
    }

    private static string Join(Renderer renderer, string separator, object? iterable)
    {
        var sb = new StringBuilder();
        var index = 0;
        foreach (var item in Py.Iterate(iterable))
        {
            if (!Py.IsString(item))
                throw Py.TypeError($"sequence item {index}: expected str instance, {Py.TypeName(item)} found");
            if (index++ > 0)
                sb.Append(separator);
            sb.Append(Py.Text(item!));
            renderer.CheckLength(sb.Length);
        }

        return sb.ToString();
    }

    public static string Capitalize(string s) =>
        s.Length == 0 ? s : char.ToUpper(s[0], CultureInfo.InvariantCulture) + s[1..].ToLowerInvariant();
}
