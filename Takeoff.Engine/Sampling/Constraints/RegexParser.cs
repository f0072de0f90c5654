using System.Globalization;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// Parses the regex subset a grammar can enforce exactly (.NET / ECMAScript syntax): literals and escapes, <c>.</c>,
/// classes, <c>\d \w \s</c> and their negations, groups (capturing, <c>(?:...)</c>, named), alternation, greedy and
/// lazy quantifiers (laziness changes which match is found, not which strings match), and anchors at the ends of
/// top-level alternatives. Anything else is refused with its position, never approximated.
/// </summary>
internal sealed class RegexParser
{
    /// <summary>Groups nest by recursion (here, in the emitter and in llama.cpp's parser): bounded, so no pattern can overflow the stack.</summary>
    private const int MaxNesting = 200;

    private readonly string _pattern;
    private int _position;
    private int _nesting;

    private RegexParser(string pattern) => _pattern = pattern;

    public static IReadOnlyList<RegexBranch> Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return new RegexParser(pattern).ParseBranches();
    }

    private bool AtEnd => _position >= _pattern.Length;

    private char Current => _pattern[_position];

    private char? Peek(int ahead) => _position + ahead < _pattern.Length ? _pattern[_position + ahead] : null;

    private static ConstraintException Error(string message, int position) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{message} at position {position}"), "pattern");

    private List<RegexBranch> ParseBranches()
    {
        var branches = new List<RegexBranch>();
        while (true)
        {
            var anchoredStart = false;
            if (!AtEnd && (Current == '^' || (Current == '\\' && Peek(1) == 'A')))
            {
                _position += Current == '^' ? 1 : 2;
                anchoredStart = true;
            }
            var items = ParseItems(topLevel: true, out var anchoredEnd);
            branches.Add(new RegexBranch(Sequence(items), anchoredStart, anchoredEnd));
            if (AtEnd)
                return branches;
            if (Current == ')')
                throw Error("unbalanced ')'", _position);
            _position++; // '|'
        }
    }

    private List<RegexNode> ParseItems(bool topLevel, out bool anchoredEnd)
    {
        var items = new List<RegexNode>();
        anchoredEnd = false;
        while (!AtEnd && Current != '|' && Current != ')')
        {
            var start = _position;
            if (Current == '$' || (Current == '\\' && Peek(1) == 'z'))
            {
                _position += Current == '$' ? 1 : 2;
                if (topLevel && (AtEnd || Current == '|'))
                {
                    anchoredEnd = true;
                    break;
                }
                throw Error($"anchor '{_pattern[start.._position]}' is only supported at the end of the pattern (or of a top-level alternative)", start);
            }
            if (Current == '^' || (Current == '\\' && Peek(1) == 'A'))
                throw Error($"anchor '{(Current == '^' ? "^" : "\\A")}' is only supported at the start of the pattern (or of a top-level alternative)", start);

            var (atom, quantifiable) = ParseAtom();
            items.Add(ParseQuantifier(atom, quantifiable, start));
        }
        return items;
    }

    private static RegexNode Sequence(List<RegexNode> items) => items.Count == 1 ? items[0] : new RegexSequence(items);

    private (RegexNode Node, bool Quantifiable) ParseAtom()
    {
        var start = _position;
        switch (Current)
        {
            case '(':
                return (ParseGroup(), true);
            case '[':
                return (ParseClass(), true);
            case '.':
                _position++;
                return (new RegexChars(RegexCharSets.Dot), true);
            case '*' or '+' or '?':
                throw Error($"nothing to repeat before '{Current}'", start);
            case '{' when QuantifierLength() > 0:
                throw Error("nothing to repeat before '{'", start);
            case '\\':
                var escape = ParseEscape(inClass: false, wide: false);
                return (new RegexChars(escape.Shorthand ?? Literal(escape.CodePoint, start)), escape.CodePoint <= 0xFFFF);
            default:
                var c = ParseLiteralChar(inClass: false);
                return (new RegexChars(Literal(c, start)), c <= 0xFFFF);
        }
    }

    private static CodePointSet Literal(int codePoint, int position) =>
        codePoint == 0 ? throw Error("NUL (\\0, \\x00) cannot be generated", position) : CodePointSet.Of(codePoint);

    private int ParseLiteralChar(bool inClass)
    {
        var start = _position;
        var c = Current;
        _position++;
        if (!char.IsSurrogate(c))
            return c;
        if (char.IsHighSurrogate(c) && !AtEnd && char.IsLowSurrogate(Current) && !inClass)
        {
            _position++;
            return char.ConvertToUtf32(c, _pattern[start + 1]);
        }
        throw Error(inClass ? "characters outside the BMP are not supported in a class" : "lone surrogate in the pattern", start);
    }

    private RegexNode ParseGroup()
    {
        var start = _position;
        if (++_nesting > MaxNesting)
            throw Error(string.Create(CultureInfo.InvariantCulture, $"groups nested more than {MaxNesting} deep"), start);
        _position++;
        if (!AtEnd && Current == '?')
            ParseGroupKind(start);

        var options = new List<RegexNode> { Sequence(ParseItems(topLevel: false, out _)) };
        while (!AtEnd && Current == '|')
        {
            _position++;
            options.Add(Sequence(ParseItems(topLevel: false, out _)));
        }
        if (AtEnd)
            throw Error("unterminated group", start);
        _position++; // ')'
        _nesting--;
        return options.Count == 1 ? options[0] : new RegexAlternation(options);
    }

    /// <summary>After "(?": accepts (?: and named groups, refuses every construct that changes what matches.</summary>
    private void ParseGroupKind(int start)
    {
        var kind = Peek(1);
        var after = Peek(2);
        switch (kind)
        {
            case ':':
                _position += 2;
                return;
            case '<' when after is '=' or '!':
                throw Error($"look-behind '(?<{after}' is not supported", start);
            case '<' or '\'':
                _position += 2;
                var close = kind == '<' ? '>' : '\'';
                var nameStart = _position;
                while (!AtEnd && (char.IsAsciiLetterOrDigit(Current) || Current == '_'))
                    _position++;
                if (!AtEnd && Current == '-')
                    throw Error("balancing groups are not supported", start);
                if (_position == nameStart || AtEnd || Current != close)
                    throw Error("invalid group name", start);
                _position++;
                return;
            case '=' or '!':
                throw Error($"look-ahead '(?{kind}' is not supported", start);
            case '>':
                throw Error("atomic groups '(?>' are not supported", start);
            case '(':
                throw Error("conditionals '(?(' are not supported", start);
            case '#':
                throw Error("inline comments '(?#' are not supported", start);
            case 'P':
                throw Error("'(?P' is Python syntax; write (?<name>...)", start);
            case { } letter when char.IsAsciiLetter(letter) || letter == '-':
                throw Error("inline options such as '(?i)' are not supported", start);
            default:
                throw Error("unknown group construct after '(?'", start);
        }
    }

    private RegexNode ParseQuantifier(RegexNode atom, bool quantifiable, int atomStart)
    {
        if (AtEnd)
            return atom;
        var start = _position;
        int min;
        int? max;
        switch (Current)
        {
            case '*': (min, max) = (0, null); _position++; break;
            case '+': (min, max) = (1, null); _position++; break;
            case '?': (min, max) = (0, 1); _position++; break;
            case '{' when QuantifierLength() > 0: (min, max) = ParseBraces(); break;
            default: return atom;
        }
        if (!quantifiable)
            throw Error("a quantifier on a character outside the BMP is not supported (.NET would repeat half of it)", atomStart);
        if (max < min)
            throw Error(string.Create(CultureInfo.InvariantCulture, $"quantifier {{{min},{max}}} has its maximum below its minimum"), start);

        if (!AtEnd && Current == '?')
            _position++;
        else if (!AtEnd && Current == '+')
            throw Error("possessive quantifiers are not supported", _position);
        if (!AtEnd && (Current is '*' or '+' or '?' || (Current == '{' && QuantifierLength() > 0)))
            throw Error("nested quantifier", _position);
        return new RegexRepeat(atom, min, max);
    }

    /// <summary>Length of a {m}, {m,} or {m,n} quantifier at the current position, 0 if '{' is a literal there.</summary>
    private int QuantifierLength()
    {
        var i = _position + 1;
        var digits = 0;
        while (i < _pattern.Length && char.IsAsciiDigit(_pattern[i]))
        {
            i++;
            digits++;
        }
        if (digits == 0 || i >= _pattern.Length)
            return 0;
        if (_pattern[i] == ',')
        {
            i++;
            while (i < _pattern.Length && char.IsAsciiDigit(_pattern[i]))
                i++;
        }
        return i < _pattern.Length && _pattern[i] == '}' ? i + 1 - _position : 0;
    }

    private (int Min, int? Max) ParseBraces()
    {
        var start = _position;
        var text = _pattern.Substring(_position + 1, QuantifierLength() - 2);
        _position += text.Length + 2;
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        var minText = comma < 0 ? text : text[..comma];
        var maxText = comma < 0 ? text : text[(comma + 1)..];
        if (!int.TryParse(minText, NumberStyles.None, CultureInfo.InvariantCulture, out var min))
            throw Error("quantifier count too large", start);
        if (maxText.Length == 0)
            return (min, null);
        if (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out var max))
            throw Error("quantifier count too large", start);
        return (min, max);
    }

    private RegexChars ParseClass()
    {
        var start = _position;
        _position++;
        var negated = false;
        if (!AtEnd && Current == '^')
        {
            negated = true;
            _position++;
        }
        if (!AtEnd && Current == ']')
            throw Error("empty character class (write '\\]' for a literal ']')", start);

        var union = CodePointSet.Empty;
        var first = true;
        while (true)
        {
            if (AtEnd)
                throw Error("unterminated character class", start);
            if (Current == ']')
            {
                _position++;
                break;
            }
            if (Current == '[' && Peek(1) == ':')
                throw Error("POSIX classes such as '[:alpha:]' are not supported", _position);
            if (Current == '-' && Peek(1) == '[' && !first)
                throw Error("class subtraction is not supported", _position);

            var itemStart = _position;
            var item = ParseClassItem(negated);
            if (!AtEnd && Current == '-' && Peek(1) is { } next && next != ']')
            {
                if (next == '[')
                    throw Error("class subtraction is not supported", _position);
                if (item.Shorthand is not null)
                    throw Error("a range cannot start with a shorthand class such as \\d", itemStart);
                _position++;
                var endStart = _position;
                var end = ParseClassItem(negated);
                if (end.Shorthand is not null)
                    throw Error("a range cannot end with a shorthand class such as \\d", endStart);
                if (end.CodePoint < item.CodePoint)
                    throw Error("character range in reverse order", itemStart);
                union = union.Union(CodePointSet.Range(item.CodePoint, end.CodePoint));
            }
            else
            {
                union = union.Union(item.Shorthand ?? CodePointSet.Of(item.CodePoint));
            }
            first = false;
        }

        var set = (negated ? RegexCharSets.Bmp.Except(union) : union.Intersect(RegexCharSets.Bmp)).Except(CodePointSet.Of(0));
        if (set.IsEmpty)
            throw Error("character class matches no character that can be generated", start);
        return new RegexChars(set);
    }

    private Escape ParseClassItem(bool negated) =>
        Current == '\\' ? ParseEscape(inClass: true, wide: negated) : new Escape(ParseLiteralChar(inClass: true), null);

    private Escape ParseEscape(bool inClass, bool wide)
    {
        var start = _position;
        _position++;
        if (AtEnd)
            throw Error("the pattern ends with a lone backslash", start);
        var c = Current;
        _position++;
        switch (c)
        {
            case 'd' or 'D' or 'w' or 'W' or 's' or 'S':
                return new Escape(-1, RegexCharSets.Shorthand(c, wide));
            case 'b' when inClass:
                return new Escape('\b', null);
            case 'b' or 'B':
                throw Error($"word boundaries '\\{c}' are not supported", start);
            case 'A' or 'z' or 'Z' or 'G':
                throw Error($"anchor '\\{c}' is only supported at the ends of the pattern (\\A at the start, \\z at the end)", start);
            case >= '1' and <= '9':
                throw Error("back-references are not supported", start);
            case '0':
                throw Error("NUL (\\0) cannot be generated", start);
            case 'k':
                throw Error("named back-references '\\k' are not supported", start);
            case 'p' or 'P':
                throw Error("Unicode categories '\\p{...}' are not supported", start);
            case 't': return new Escape('\t', null);
            case 'n': return new Escape('\n', null);
            case 'r': return new Escape('\r', null);
            case 'f': return new Escape('\f', null);
            case 'v': return new Escape('\v', null);
            case 'e': return new Escape(0x1B, null);
            case 'a': return new Escape(0x07, null);
            case 'x': return new Escape(ParseHex(2, start), null);
            case 'u': return new Escape(ParseHex(4, start), null);
            case 'c':
                if (AtEnd || !char.IsAsciiLetter(Current))
                    throw Error("'\\c' must be followed by a letter", start);
                return new Escape(_pattern[_position++] & 0x1F, null);
            case var letter when char.IsAsciiLetterOrDigit(letter):
                throw Error($"unknown escape '\\{letter}'", start);
            default:
                _position--;
                return new Escape(ParseLiteralChar(inClass), null);
        }
    }

    private int ParseHex(int digits, int start)
    {
        if (_position + digits > _pattern.Length
            || !int.TryParse(_pattern.AsSpan(_position, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            throw Error(string.Create(CultureInfo.InvariantCulture, $"expecting {digits} hex digits"), start);
        _position += digits;
        if (char.IsSurrogate((char)value))
            throw Error("a surrogate escape cannot be generated on its own", start);
        return value;
    }

    /// <summary>An escape or class item: one code point, or a shorthand class (then CodePoint is -1).</summary>
    private readonly record struct Escape(int CodePoint, CodePointSet? Shorthand);
}
