using System.Globalization;
using System.Numerics;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// Grammars for numbers within bounds, digit by digit (as llama.cpp does for integers): canonical decimals with no
/// leading zero, no "-0" and no exponent. Numbers may have a fraction; their bounds must be integers, which keeps
/// every comparison to the integral part plus "is the fraction zero".
/// </summary>
internal static class NumberRangeGrammar
{
    /// <summary>Sixteen digits, the most the unbounded number rules allow.</summary>
    private static readonly BigInteger DefaultCap = BigInteger.Pow(10, 16) - 1;

    private const string AnyFraction = "( \".\" [0-9]{1,16} )?";
    private const string NonZeroFraction = "\".\" [0-9]{0,15} [1-9] \"0\"{0,15}";
    private const string ZeroFraction = "( \".\" \"0\"{1,16} )?";

    /// <summary>Integers in [<paramref name="min"/>, <paramref name="max"/>] (null: unbounded), as one expression.</summary>
    public static string Integer(BigInteger? min, BigInteger? max)
    {
        var parts = new List<string>();
        if (min is null || min < 0)
        {
            // Negative n: magnitudes from max(1, -max) to -min.
            var low = max is { } m && m < 0 ? -m : BigInteger.One;
            if (Digits(low, min is { } l ? -l : null) is { } negative)
                parts.Add($"\"-\" {Group(negative)}");
        }
        if (max is null || max >= 0)
        {
            if (Digits(BigInteger.Max(min ?? 0, 0), max) is { } nonNegative)
                parts.Add(nonNegative);
        }
        return Join(parts);
    }

    /// <summary>
    /// Numbers x with min &lt; x (or &lt;=) and x &lt; max (or &lt;=). For each sign the magnitude m = n.f must lie between two
    /// integers a and b: n strictly between takes any fraction, n = a (when a is excluded) needs a non-zero fraction,
    /// n = b (when b is included) needs none.
    /// </summary>
    public static string Number(BigInteger? min, bool minExclusive, BigInteger? max, bool maxExclusive)
    {
        var parts = new List<string>();

        // x >= 0, written as m = x.
        if (max is null || max >= 0)
        {
            var (low, lowStrict) = min is { } l && l >= 0 ? (l, minExclusive) : (BigInteger.Zero, false);
            parts.AddRange(Magnitudes(low, lowStrict, max, maxExclusive));
        }

        // x < 0, written as "-" m with m = -x > 0.
        if (min is null || min < 0)
        {
            var (low, lowStrict) = max is { } h && h < 0 ? (-h, maxExclusive) : (BigInteger.Zero, true);
            var negative = Magnitudes(low, lowStrict, min is { } l ? -l : null, minExclusive);
            if (negative.Count > 0)
                parts.Add($"\"-\" {Group(Join(negative))}");
        }
        return Join(parts);
    }

    private static List<string> Magnitudes(BigInteger low, bool lowStrict, BigInteger? high, bool highStrict)
    {
        var parts = new List<string>();
        var anyLow = lowStrict ? low + 1 : low;
        if (Digits(anyLow, high is { } h ? h - 1 : null) is { } between)
            parts.Add($"{Group(between)} {AnyFraction}");
        if (lowStrict && (high is null || low < high))
            parts.Add($"{Literal(low)} {NonZeroFraction}");
        if (high is { } top && !highStrict && (top > low || (top == low && !lowStrict)))
            parts.Add($"{Literal(top)} {ZeroFraction}");
        return parts;
    }

    /// <summary>Non-negative integers from <paramref name="low"/> to <paramref name="high"/> (null: sixteen digits or more), or null if none.</summary>
    private static string? Digits(BigInteger low, BigInteger? high)
    {
        var top = high ?? BigInteger.Max(DefaultCap, BigInteger.Pow(10, Text(low).Length) - 1);
        if (low > top)
            return null;
        var parts = new List<string>();
        var lowText = Text(low);
        var highText = Text(top);
        for (var length = lowText.Length; length <= highText.Length; length++)
        {
            var from = length == lowText.Length ? lowText : Text(BigInteger.Pow(10, length - 1));
            var to = length == highText.Length ? highText : new string('9', length);
            parts.Add(SameLength(from, to));
        }
        return Join(parts);
    }

    /// <summary>Digit strings between <paramref name="from"/> and <paramref name="to"/>, both of the same length.</summary>
    private static string SameLength(string from, string to)
    {
        if (from == to)
            return Quote(from);
        if (from[0] == to[0])
            return Prefixed(from[0], SameLength(from[1..], to[1..]));

        var rest = from.Length - 1;
        var parts = new List<string>();
        var first = from[0];
        var last = to[0];
        if (from[1..].Any(c => c != '0'))
        {
            parts.Add(Prefixed(first, SameLength(from[1..], new string('9', rest))));
            first++;
        }
        var lastPart = to[1..].Any(c => c != '9') ? Prefixed(last, SameLength(new string('0', rest), to[1..])) : null;
        if (lastPart is not null)
            last--;
        if (first <= last)
        {
            var digit = first == last ? Quote(first.ToString()) : $"[{first}-{last}]";
            parts.Add(rest == 0 ? digit : rest == 1 ? $"{digit} [0-9]" : string.Create(CultureInfo.InvariantCulture, $"{digit} [0-9]{{{rest}}}"));
        }
        if (lastPart is not null)
            parts.Add(lastPart);
        return Join(parts);
    }

    /// <summary>A digit before an expression; "5" "0" becomes "50".</summary>
    private static string Prefixed(char digit, string tail) =>
        tail.Length > 1 && tail[0] == '"' && !tail.Contains(' ', StringComparison.Ordinal)
            ? Quote(digit + tail[1..^1])
            : $"{Quote(digit.ToString())} {Group(tail)}";

    private static string Join(List<string> parts) => parts.Count == 0 ? "" : string.Join(" | ", parts);

    private static string Group(string expression) => expression.Contains(" | ", StringComparison.Ordinal) ? $"( {expression} )" : expression;

    private static string Literal(BigInteger value) => Quote(Text(value));

    private static string Quote(string digits) => $"\"{digits}\"";

    private static string Text(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);
}
