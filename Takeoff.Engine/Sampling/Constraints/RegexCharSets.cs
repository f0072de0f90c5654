using System.Globalization;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// Character sets of the regex converter. A .NET or JavaScript regex character is one UTF-16 unit, so every set is
/// kept inside the BMP (surrogates excluded): a generated string then matches the same way under code-point and
/// UTF-16 semantics. Shorthands come in two widths: narrow (what every engine agrees on: ASCII for \d \w \s, the
/// complement of all Unicode digits for \D...) and wide (the union over engines: .NET's and Python's Unicode classes,
/// ECMAScript's ASCII ones). A class uses the narrow form when positive and the wide form when negated, so that what
/// the grammar generates matches the pattern under .NET (default or ECMAScript options), JavaScript and Python alike.
/// </summary>
internal static class RegexCharSets
{
    /// <summary>Every character a regex character class can match, as UTF-8 output can carry it.</summary>
    public static CodePointSet Bmp { get; } = CodePointSet.Range(0, 0xFFFF).Except(CodePointSet.Range(0xD800, 0xDFFF));

    /// <summary><c>.</c>: no line terminator of any engine (.NET only excludes \n; ECMAScript also \r, U+2028, U+2029).</summary>
    public static CodePointSet Dot { get; } = Bmp.Except(CodePointSet.Of('\n', '\r', '\u2028', '\u2029'));

    private static readonly CodePointSet NarrowDigit = CodePointSet.Range('0', '9');
    private static readonly CodePointSet NarrowWord = CodePointSet.FromRanges(
        [new('0', '9'), new('A', 'Z'), new('_', '_'), new('a', 'z')]);
    private static readonly CodePointSet NarrowSpace = CodePointSet.FromRanges([new('\t', '\r'), new(' ', ' ')]);

    private static readonly Lazy<CodePointSet> WideDigit = new(() => Categories(UnicodeCategory.DecimalDigitNumber));

    private static readonly Lazy<CodePointSet> WideWord = new(() => Categories(
            UnicodeCategory.UppercaseLetter, UnicodeCategory.LowercaseLetter, UnicodeCategory.TitlecaseLetter,
            UnicodeCategory.ModifierLetter, UnicodeCategory.OtherLetter, UnicodeCategory.NonSpacingMark,
            UnicodeCategory.SpacingCombiningMark, UnicodeCategory.EnclosingMark, UnicodeCategory.DecimalDigitNumber,
            UnicodeCategory.LetterNumber, UnicodeCategory.OtherNumber, UnicodeCategory.ConnectorPunctuation)
        .Union(CodePointSet.Range(0x200C, 0x200D)));

    private static readonly Lazy<CodePointSet> WideSpace = new(() => Categories(
            UnicodeCategory.SpaceSeparator, UnicodeCategory.LineSeparator, UnicodeCategory.ParagraphSeparator)
        .Union(CodePointSet.FromRanges(
            [new('\t', '\r'), new(0x1C, 0x1F), new(' ', ' '), new(0x85, 0x85), new(0x180E, 0x180E), new(0xFEFF, 0xFEFF)])));

    /// <summary>The set of <c>\d \D \w \W \s \S</c>; <paramref name="wide"/> inside a negated class.</summary>
    public static CodePointSet Shorthand(char letter, bool wide) => letter switch
    {
        'd' => wide ? WideDigit.Value : NarrowDigit,
        'w' => wide ? WideWord.Value : NarrowWord,
        's' => wide ? WideSpace.Value : NarrowSpace,
        'D' or 'W' or 'S' => Bmp.Except(Shorthand(char.ToLowerInvariant(letter), !wide)),
        _ => throw new ArgumentOutOfRangeException(nameof(letter), letter, "Not a shorthand class."),
    };

    private static CodePointSet Categories(params UnicodeCategory[] categories)
    {
        var wanted = new HashSet<UnicodeCategory>(categories);
        var ranges = new List<CodePointRange>();
        for (var c = 0; c <= 0xFFFF; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF || !wanted.Contains(char.GetUnicodeCategory((char)c)))
                continue;
            if (ranges.Count > 0 && ranges[^1].Last == c - 1)
                ranges[^1] = ranges[^1] with { Last = c };
            else
                ranges.Add(new CodePointRange(c, c));
        }
        return CodePointSet.FromRanges(ranges);
    }
}
