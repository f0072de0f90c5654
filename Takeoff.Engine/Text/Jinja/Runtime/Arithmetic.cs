using Takeoff.Engine.Text.Jinja.Errors;
namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>
/// Python's binary and unary operators on template values, with Python's TypeErrors where it has them
/// (<c>"a" + none</c> fails in Jinja2, so it fails here). Integers are 64-bit: an overflow is an error, not a wrap.
/// </summary>
internal static class Arithmetic
{
    public static object? Binary(string op, object? a, object? b, int maxLength)
    {
        // Python asks the left operand first: str.__mod__ formats whatever is on the right (an undefined included),
        // and markupsafe's Markup.__mul__ hands anything to str.__mul__.
        if (op == "%" && a is string or Markup)
            return a is Markup m ? new Markup(PercentFormat.Format(m.Text, b, maxLength)) : PercentFormat.Format((string)a, b, maxLength);
        if (op == "*" && ((a is Markup && b is not bool and not long) || (b is Markup && a is not bool and not long and not Undefined)))
            throw Py.TypeError($"'{Py.TypeName(a is Markup ? b : a)}' object cannot be interpreted as an integer");
        if (a is Undefined u)
            throw u.Error();
        if (b is Undefined v)
            throw v.Error();
        try
        {
            return checked(op switch
            {
                "+" => Add(a, b, maxLength),
                "-" when Py.IsNumber(a) && Py.IsNumber(b) => a is double || b is double ? Py.ToDouble(a) - Py.ToDouble(b) : (object)(Py.ToLong(a) - Py.ToLong(b)),
                "*" => Multiply(a, b, maxLength),
                "/" when Py.IsNumber(a) && Py.IsNumber(b) => Py.ToDouble(b) == 0
                    ? throw ZeroDivision(a is double || b is double ? "float division by zero" : "division by zero")
                    : Py.ToDouble(a) / Py.ToDouble(b),
                "//" when Py.IsNumber(a) && Py.IsNumber(b) => FloorDivide(a, b),
                "%" when Py.IsNumber(a) && Py.IsNumber(b) => Modulo(a, b),
                "**" when Py.IsNumber(a) && Py.IsNumber(b) => Power(a, b),
                _ => throw Unsupported(op, a, b),
            });
        }
        catch (OverflowException)
        {
            throw new TemplateException(TemplateErrorKind.Runtime, $"integer overflow in '{op}' (this engine's integers are 64-bit)");
        }
    }

    public static object? Negate(object? value) => value switch
    {
        Undefined u => throw u.Error(),
        bool or long => (object)checked(-Py.ToLong(value)),
        double d => -d,
        _ => throw Py.TypeError($"bad operand type for unary -: '{Py.TypeName(value)}'"),
    };

    public static object? Plus(object? value) => value switch
    {
        Undefined u => throw u.Error(),
        bool or long => (object)Py.ToLong(value),
        double d => d,
        _ => throw Py.TypeError($"bad operand type for unary +: '{Py.TypeName(value)}'"),
    };

    private static object? Add(object? a, object? b, int maxLength)
    {
        if (Py.IsNumber(a) && Py.IsNumber(b))
            return a is double || b is double ? Py.ToDouble(a) + Py.ToDouble(b) : (object)checked(Py.ToLong(a) + Py.ToLong(b));

        // Markup.__add__ and __radd__ escape the plain string joined to the safe one.
        if (a is Markup ma)
            return Py.IsString(b)
                ? new Markup(Limit(ma.Text + Markup.From(b).Text, maxLength))
                : throw Py.TypeError($"can only concatenate str (not \"{Py.TypeName(b)}\") to str");
        if (b is Markup mb && a is string sa)
            return new Markup(Limit(Markup.Escape(sa) + mb.Text, maxLength));
        if (a is string x)
            return b is string y ? Limit(x + y, maxLength) : throw Py.TypeError($"can only concatenate str (not \"{Py.TypeName(b)}\") to str");
        if (a is List<object?> list)
        {
            if (b is not List<object?> other)
                throw Py.TypeError($"can only concatenate list (not \"{Py.TypeName(b)}\") to list");
            LimitCount(list.Count + (long)other.Count, maxLength);
            return new List<object?>([.. list, .. other]);
        }

        if (a is object?[] tuple)
        {
            if (b is not object?[] other)
                throw Py.TypeError($"can only concatenate tuple (not \"{Py.TypeName(b)}\") to tuple");
            LimitCount(tuple.Length + (long)other.Length, maxLength);
            return (object?[])[.. tuple, .. other];
        }

        throw Unsupported("+", a, b);
    }

    private static object? Multiply(object? a, object? b, int maxLength)
    {
        if (Py.IsNumber(a) && Py.IsNumber(b))
            return a is double || b is double ? Py.ToDouble(a) * Py.ToDouble(b) : (object)checked(Py.ToLong(a) * Py.ToLong(b));
        if (b is string or Markup or List<object?> or object?[] && a is bool or long)
            (a, b) = (b, a);
        if (a is not string and not Markup and not List<object?> and not object?[])
            throw b is string or Markup or List<object?> or object?[]
                ? Py.TypeError($"can't multiply sequence by non-int of type '{Py.TypeName(a)}'")
                : Unsupported("*", a, b);
        if (b is not bool and not long)
            throw Py.TypeError($"can't multiply sequence by non-int of type '{Py.TypeName(b)}'");

        var times = Math.Max(0, Py.ToLong(b));
        switch (a)
        {
            case string s:
                LimitCount(s.Length * times, maxLength);
                return string.Concat(Enumerable.Repeat(s, (int)times));
            case Markup m:
                LimitCount(m.Text.Length * times, maxLength);
                return new Markup(string.Concat(Enumerable.Repeat(m.Text, (int)times)));
            default:
                var items = Py.Iterate(a).ToList();
                LimitCount(items.Count * times, maxLength);
                var result = Enumerable.Range(0, (int)times).SelectMany(_ => items).ToList();
                return a is object?[] ? result.ToArray() : result;
        }
    }

    private static object FloorDivide(object? a, object? b)
    {
        if (a is double || b is double)
        {
            var y = Py.ToDouble(b);
            return y == 0 ? throw ZeroDivision("float floor division by zero") : Math.Floor(Py.ToDouble(a) / y);
        }

        long n = Py.ToLong(a), d = Py.ToLong(b);
        if (d == 0)
            throw ZeroDivision("integer division or modulo by zero");
        var q = n / d;
        return (n % d != 0) && ((n < 0) != (d < 0)) ? q - 1 : q;
    }

    private static object Modulo(object? a, object? b)
    {
        if (a is double || b is double)
        {
            double x = Py.ToDouble(a), y = Py.ToDouble(b);
            if (y == 0)
                throw ZeroDivision("float modulo");
            var r = x % y;
            return r != 0 && (r < 0) != (y < 0) ? r + y : r;
        }

        long n = Py.ToLong(a), d = Py.ToLong(b);
        if (d == 0)
            throw ZeroDivision("integer modulo by zero");
        var m = n % d;
        return m != 0 && (m < 0) != (d < 0) ? m + d : m;
    }

    private static object Power(object? a, object? b)
    {
        if (a is double || b is double || Py.ToLong(b) < 0)
            return Math.Pow(Py.ToDouble(a), Py.ToDouble(b));
        long result = 1, x = Py.ToLong(a), e = Py.ToLong(b);
        while (e > 0)
        {
            if ((e & 1) == 1)
                result = checked(result * x);
            e >>= 1;
            if (e > 0)
                x = checked(x * x);
        }

        return result;
    }

    public static string Limit(string text, int maxLength) => text.Length <= maxLength
        ? text
        : throw new TemplateException(TemplateErrorKind.Limit, $"a string grew past the output limit of {maxLength} characters");

    private static void LimitCount(long count, int maxLength)
    {
        if (count > maxLength)
            throw new TemplateException(TemplateErrorKind.Limit, $"a value grew past the output limit of {maxLength} characters or items");
    }

    private static TemplateException ZeroDivision(string message) => Py.TypeError(message);

    private static TemplateException Unsupported(string op, object? a, object? b) =>
        Py.TypeError($"unsupported operand type(s) for {op}: '{Py.TypeName(a)}' and '{Py.TypeName(b)}'");
}
