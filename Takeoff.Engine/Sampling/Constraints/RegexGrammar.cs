namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// Regular expression → GBNF. <see cref="ToGbnf"/> matches exactly the strings the pattern fully matches, with
/// two deliberate narrowings that keep every generated string a match under .NET, ECMAScript and Python alike
/// (see <see cref="RegexCharSets"/>): characters are BMP characters, and shorthands/negated classes take the
/// meaning all those engines agree on. Refusals name the construct and its position.
/// </summary>
internal static class RegexGrammar
{
    /// <summary>A grammar (root rule "root") for the strings <paramref name="pattern"/> matches in full.</summary>
    public static string ToGbnf(string pattern)
    {
        var branches = RegexParser.Parse(pattern);
        var rules = new GbnfRuleSet();
        var root = rules.Reserve("root");
        var emitter = new RegexEmitter(rules, "root", jsonString: false);
        rules.Define(root, emitter.Alternatives([.. branches.Select(b => b.Node)]));
        return Checked(rules.ToString());
    }

    /// <summary>
    /// The JSON text between the quotes of a string whose decoded value matches <paramref name="pattern"/> with JSON
    /// Schema's semantics (a match anywhere: an unanchored end admits any characters, written with
    /// the rule <paramref name="anyChar"/> adds). Lengths can only be combined with a pattern of one anchored class with a
    /// quantifier (^[a-z]{2,8}$), whose counts they narrow.
    /// </summary>
    public static string ToJsonStringContent(string pattern, GbnfRuleSet rules, string hint, Func<string> anyChar, int minLength, int? maxLength)
    {
        var branches = RegexParser.Parse(pattern);
        var emitter = new RegexEmitter(rules, hint, jsonString: true);
        if (minLength > 0 || maxLength is not null)
            return emitter.Emit(WithLengths(branches, minLength, maxLength));

        var options = branches
            .Select(b => string.Join(" ", new[]
            {
                b.AnchoredStart ? null : anyChar() + "*",
                emitter.Emit(b.Node),
                b.AnchoredEnd ? null : anyChar() + "*",
            }.OfType<string>()))
            .ToList();
        return options.Count == 1 ? options[0] : "(" + string.Join(" | ", options) + ")";
    }

    private static RegexRepeat WithLengths(IReadOnlyList<RegexBranch> branches, int minLength, int? maxLength)
    {
        var repeat = branches is [{ AnchoredStart: true, AnchoredEnd: true } branch]
            ? branch.Node switch
            {
                RegexChars chars => new RegexRepeat(chars, 1, 1),
                RegexRepeat { Item: RegexChars } counted => counted,
                _ => null,
            }
            : null;
        if (repeat is null)
            throw new ConstraintException(
                "minLength/maxLength together with a pattern are only supported when the pattern is one anchored character class with a quantifier, such as ^[a-z]{2,8}$",
                "pattern");

        var min = Math.Max(repeat.Min, minLength);
        var max = (repeat.Max, maxLength) switch
        {
            (null, var m) => m,
            (var m, null) => m,
            ({ } a, { } b) => Math.Min(a, b),
        };
        if (max < min)
            throw new ConstraintException("the pattern and minLength/maxLength together admit no string", "pattern");
        return new RegexRepeat(repeat.Item, min, max);
    }

    private static string Checked(string gbnf)
    {
        try
        {
            GbnfGrammar.Parse(gbnf);
            return gbnf;
        }
        catch (ConstraintException e)
        {
            throw new ConstraintException($"the pattern does not fit llama.cpp's grammar limits: {e.Message}", "pattern", e);
        }
    }
}
