using Takeoff.Engine.Text.Jinja.Errors;
namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>
/// The functions every template sees: Jinja2's <c>range</c>, <c>dict</c> and <c>namespace</c>, and transformers'
/// <c>raise_exception</c> and <c>strftime_now</c>.
/// </summary>
internal static class Globals
{
    /// <summary>Jinja2's sandbox refuses ranges longer than this (sandbox.MAX_RANGE).</summary>
    public const int MaxRange = 100_000;

    public static IEnumerable<KeyValuePair<string, object?>> All()
    {
        yield return Function("range", Range);
        yield return Function("dict", (_, args) => Dict(args));
        yield return Function("namespace", (_, args) =>
        {
            var ns = new Namespace();
            foreach (var (key, value) in Dict(args))
                ns.Attributes[Py.Str(key)] = value;
            return ns;
        });
        yield return Function("raise_exception", (_, args) =>
            throw new TemplateException(TemplateErrorKind.Raised, Py.Str(args.Get(0, "message"))));
        yield return Function("strftime_now", (renderer, args) =>
            Strftime.Format(renderer.Options.Clock.GetLocalNow(), Py.Str(args.Get(0, "format"))));
    }

    private static KeyValuePair<string, object?> Function(string name, Func<Renderer, CallArguments, object?> body) =>
        new(name, new BuiltinFunction(name, body));

    private static object? Range(Renderer renderer, CallArguments args)
    {
        if (args.Named.Count > 0 || args.Positional.Count is 0 or > 3)
            throw Py.TypeError($"range expected 1 to 3 arguments, got {args.Positional.Count}");
        var numbers = args.Positional.Select(a => a is bool or long ? Py.ToLong(a) : throw Py.TypeError(
            $"'{Py.TypeName(a)}' object cannot be interpreted as an integer")).ToList();
        var (start, stop) = numbers.Count == 1 ? (0L, numbers[0]) : (numbers[0], numbers[1]);
        var step = numbers.Count == 3 ? numbers[2] : 1L;
        if (step == 0)
            throw Py.TypeError("range() arg 3 must not be zero");
        var length = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
        var limit = Math.Min(MaxRange, renderer.Options.MaxLoopIterations);
        if (length > limit)
            throw new TemplateException(TemplateErrorKind.Limit, $"Range too big. The sandbox blocks ranges larger than {limit}.");
        var result = new List<object?>();
        for (var i = 0L; i < length; i++)
            result.Add(start + (i * step));
        return result;
    }

    private static PyDict Dict(CallArguments args)
    {
        var dict = new PyDict();
        if (args.Positional.Count > 1)
            throw Py.TypeError($"dict expected at most 1 argument, got {args.Positional.Count}");
        if (args.Positional.Count == 1)
        {
            if (args.Positional[0] is PyDict source)
            {
                foreach (var (key, value) in source)
                    dict[key] = value;
            }
            else
            {
                foreach (var pair in Py.Iterate(args.Positional[0]))
                {
                    var kv = Py.Iterate(pair).ToList();
                    if (kv.Count != 2)
                        throw Py.TypeError("dictionary update sequence element has the wrong length; 2 is required");
                    dict[PyDict.Key(kv[0])] = kv[1];
                }
            }
        }

        foreach (var (key, value) in args.Named)
            dict[key] = value;
        return dict;
    }
}
