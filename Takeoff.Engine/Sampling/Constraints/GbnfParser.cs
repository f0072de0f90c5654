using System.Globalization;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// Reads GBNF the way llama.cpp's <c>llama_grammar_parser</c> does (src/llama-grammar.cpp): the same syntax, the same
/// expansion of groups and repetitions into synthesized rules, the same repetition limits. It refuses a little more
/// than llama.cpp where llama.cpp's answer would be a grammar that cannot serve (see the messages).
/// </summary>
internal sealed class GbnfParser(string text)
{
    /// <summary>llama.cpp's MAX_REPETITION_THRESHOLD; above it llama.cpp refuses or quietly drops the bound.</summary>
    public const int MaxRepetitions = 2000;

    /// <summary>Expanded elements allowed in one grammar: repetitions copy their operand, so text size is no bound.</summary>
    private const int MaxElements = 1_000_000;

    /// <summary>Groups nest by recursion, here and in llama.cpp: a deep enough nesting would overflow the stack.</summary>
    public const int MaxNesting = 1000;

    private readonly GbnfSource _source = new(text);
    private readonly List<string> _names = [];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<IReadOnlyList<IReadOnlyList<GbnfElement>>?> _bodies = [];
    private readonly Dictionary<int, int> _firstReference = [];
    private readonly Dictionary<int, int> _definition = [];
    private int _position;
    private int _elements;
    private int _nesting;

    public GbnfParseResult Parse()
    {
        SkipSpace(newlineOk: true);
        while (_position < _source.Length)
            ParseRule();
        return new GbnfParseResult(_names, _bodies, _firstReference, _definition, _source);
    }

    private int Current => _source[_position];

    private int Peek(int ahead) => _source[_position + ahead];

    private static bool IsWordChar(int c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-';

    private static bool IsDigit(int c) => c is >= '0' and <= '9';

    private ConstraintException Error(string message, int? at = null) =>
        new($"{message} at {_source.Where(at ?? _position)}");

    private void SkipSpace(bool newlineOk)
    {
        while (true)
        {
            var c = Current;
            if (c == '#')
            {
                while (Current != -1 && Current != '\r' && Current != '\n')
                    _position++;
            }
            else if (c == ' ' || c == '\t' || (newlineOk && (c == '\r' || c == '\n')))
            {
                _position++;
            }
            else
            {
                return;
            }
        }
    }

    private string ParseName()
    {
        var start = _position;
        while (IsWordChar(Current))
            _position++;
        if (_position == start)
            throw Error(Current == -1 ? "expecting a rule name, found the end" : $"expecting a rule name, found {Describe(Current)}");
        return string.Concat(Enumerable.Range(start, _position - start).Select(i => char.ConvertFromUtf32(_source[i])));
    }

    private int SymbolId(string name)
    {
        if (_ids.TryGetValue(name, out var id))
            return id;
        id = _names.Count;
        _ids[name] = id;
        _names.Add(name);
        _bodies.Add(null);
        return id;
    }

    private int NewSynthesizedSymbol(string baseName)
    {
        var id = _names.Count;
        var name = string.Create(CultureInfo.InvariantCulture, $"{baseName}_{id}");
        _ids[name] = id;
        _names.Add(name);
        _bodies.Add(null);
        return id;
    }

    private void Define(int id, List<IReadOnlyList<GbnfElement>> alternatives)
    {
        _elements += alternatives.Sum(a => a.Count);
        if (_elements > MaxElements)
            throw Error(string.Create(CultureInfo.InvariantCulture, $"grammar too large once repetitions are expanded (over {MaxElements} elements)"));
        _bodies[id] = alternatives;
    }

    private void ParseRule()
    {
        var start = _position;
        var name = ParseName();
        SkipSpace(newlineOk: false);
        if (!(Current == ':' && Peek(1) == ':' && Peek(2) == '='))
            throw Error($"expecting '::=' after rule name '{name}'");
        _position += 3;
        SkipSpace(newlineOk: true);

        var id = SymbolId(name);
        if (_definition.TryGetValue(id, out var earlier))
            throw new ConstraintException($"rule '{name}' at {_source.Where(start)} is already defined at {_source.Where(earlier)}");
        _definition[id] = start;

        ParseAlternates(name, id, nested: false);

        if (Current == '\r')
            _position += Peek(1) == '\n' ? 2 : 1;
        else if (Current == '\n')
            _position++;
        else if (Current != -1)
            throw Error(Current == ')' ? "unbalanced ')'" : $"expecting the end of the line, found {Describe(Current)}");
        SkipSpace(newlineOk: true);
    }

    private void ParseAlternates(string ruleName, int ruleId, bool nested)
    {
        var alternatives = new List<IReadOnlyList<GbnfElement>> { ParseSequence(ruleName, nested) };
        while (Current == '|')
        {
            _position++;
            SkipSpace(newlineOk: true);
            alternatives.Add(ParseSequence(ruleName, nested));
        }
        Define(ruleId, alternatives);
    }

    private List<GbnfElement> ParseSequence(string ruleName, bool nested)
    {
        var sequence = new List<GbnfElement>();
        var lastSymbolStart = 0;
        long previousRules = 1;

        while (Current != -1)
        {
            var c = Current;
            var at = _position;
            if (c == '"')
            {
                lastSymbolStart = sequence.Count;
                previousRules = 1;
                ParseString(sequence);
                SkipSpace(nested);
            }
            else if (c == '[')
            {
                lastSymbolStart = sequence.Count;
                previousRules = 1;
                sequence.Add(ParseClass());
                SkipSpace(nested);
            }
            else if (c == '<' || c == '!')
            {
                throw Error("token references (<...>, !<...>) are not supported");
            }
            else if (IsWordChar(c))
            {
                var name = ParseName();
                var id = SymbolId(name);
                _firstReference.TryAdd(id, at);
                SkipSpace(nested);
                lastSymbolStart = sequence.Count;
                previousRules = 1;
                sequence.Add(new GbnfRuleRef(id));
            }
            else if (c == '(')
            {
                _position++;
                SkipSpace(newlineOk: true);
                if (++_nesting > MaxNesting)
                    throw Error(string.Create(CultureInfo.InvariantCulture, $"groups nested more than {MaxNesting} deep"), at);
                var symbolsBefore = _names.Count;
                var groupId = NewSynthesizedSymbol(ruleName);
                ParseAlternates(ruleName, groupId, nested: true);
                _nesting--;
                previousRules = Math.Max(1, _names.Count - symbolsBefore);
                lastSymbolStart = sequence.Count;
                sequence.Add(new GbnfRuleRef(groupId));
                if (Current != ')')
                    throw Current == -1 ? Error("unterminated group", at) : Error($"expecting ')', found {Describe(Current)}");
                _position++;
                SkipSpace(nested);
            }
            else if (c == '.')
            {
                lastSymbolStart = sequence.Count;
                previousRules = 1;
                sequence.Add(GbnfCharClass.Any);
                _position++;
                SkipSpace(nested);
            }
            else if (c is '*' or '+' or '?')
            {
                _position++;
                SkipSpace(nested);
                var (min, max) = c switch { '*' => (0, (int?)null), '+' => (1, null), _ => (0, 1) };
                Repeat(ruleName, sequence, lastSymbolStart, ref previousRules, min, max, at);
            }
            else if (c == '{')
            {
                _position++;
                SkipSpace(nested);
                var (min, max) = ParseBraces(nested, at);
                Repeat(ruleName, sequence, lastSymbolStart, ref previousRules, min, max, at);
            }
            else
            {
                break;
            }
        }
        return sequence;
    }

    private (int Min, int? Max) ParseBraces(bool nested, int at)
    {
        var min = ParseCount();
        SkipSpace(nested);
        long? max;
        if (Current == '}')
        {
            max = min;
        }
        else if (Current == ',')
        {
            _position++;
            SkipSpace(nested);
            max = IsDigit(Current) ? ParseCount() : null;
            SkipSpace(nested);
            if (Current != '}')
                throw Error($"expecting '}}', found {Describe(Current)}");
        }
        else
        {
            throw Error($"expecting ',' or '}}', found {Describe(Current)}");
        }
        _position++;
        SkipSpace(nested);

        // llama.cpp refuses a minimum above its threshold and silently turns a larger maximum into "unbounded".
        if (min > MaxRepetitions || max > MaxRepetitions)
            throw Error(string.Create(CultureInfo.InvariantCulture, $"repetition count above {MaxRepetitions} (llama.cpp's limit)"), at);
        if (max < min)
            throw Error(string.Create(CultureInfo.InvariantCulture, $"repetition {{{min},{max}}} has its maximum below its minimum"), at);
        return ((int)min, (int?)max);
    }

    private long ParseCount()
    {
        if (!IsDigit(Current))
            throw Error($"expecting an integer, found {Describe(Current)}");
        long value = 0;
        while (IsDigit(Current))
        {
            value = Math.Min(value * 10 + (Current - '0'), int.MaxValue);
            _position++;
        }
        return value;
    }

    /// <summary>
    /// llama.cpp's rewrite: S{m,n} becomes m copies of S then a chain of n-m optional rules
    /// (S'(k) ::= S S'(k-1) | ); S{m,} becomes m copies then S' ::= S S' | .
    /// </summary>
    private void Repeat(string ruleName, List<GbnfElement> sequence, int lastSymbolStart, ref long previousRules, int min, int? max, int at)
    {
        if (lastSymbolStart == sequence.Count)
            throw Error("expecting something to repeat before '*', '+', '?' or '{'", at);

        long total = max is > 0 ? max.Value : min > 0 ? min : 1;
        if (previousRules * total >= MaxRepetitions)
            throw Error(string.Create(CultureInfo.InvariantCulture,
                $"nested repetitions expand to {previousRules * total} rules, over llama.cpp's limit of {MaxRepetitions}"), at);

        var repeated = sequence.GetRange(lastSymbolStart, sequence.Count - lastSymbolStart);
        if (min == 0)
        {
            sequence.RemoveRange(lastSymbolStart, sequence.Count - lastSymbolStart);
        }
        else
        {
            for (var i = 1; i < min; i++)
                sequence.AddRange(repeated);
        }

        var optional = max is null ? 1 : max.Value - min;
        var lastId = -1;
        for (var i = 0; i < optional; i++)
        {
            var id = NewSynthesizedSymbol(ruleName);
            var first = new List<GbnfElement>(repeated);
            if (max is null)
                first.Add(new GbnfRuleRef(id));
            else if (i > 0)
                first.Add(new GbnfRuleRef(lastId));
            Define(id, [first, []]);
            lastId = id;
        }
        if (optional > 0)
            sequence.Add(new GbnfRuleRef(lastId));
        previousRules *= total;
    }

    private void ParseString(List<GbnfElement> sequence)
    {
        var open = _position;
        _position++;
        while (Current != '"')
        {
            if (Current == -1)
                throw Error("unterminated string literal", open);
            var at = _position;
            var c = ParseChar();
            if (c == 0)
                throw Error("\\x00 can never be generated (llama.cpp reads text as C strings)", at);
            sequence.Add(new GbnfCharClass(CodePointSet.Of(c), Negated: false));
        }
        _position++;
    }

    private GbnfCharClass ParseClass()
    {
        var open = _position;
        _position++;
        var negated = false;
        if (Current == '^')
        {
            negated = true;
            _position++;
        }
        var ranges = new List<CodePointRange>();
        while (Current != ']')
        {
            if (Current == -1)
                throw Error("unterminated character class", open);
            var at = _position;
            var first = ParseChar();
            var last = first;
            if (Current == '-' && Peek(1) != ']')
            {
                if (Peek(1) == -1)
                    throw Error("unterminated character class", open);
                _position++;
                last = ParseChar();
                if (last < first)
                    throw Error($"character range {Describe(first)}-{Describe(last)} is out of order", at);
            }
            ranges.Add(new CodePointRange(first, last));
        }
        _position++;

        // llama.cpp turns [] into nothing at all and a NUL-only class into one no text can match.
        if (ranges.Count == 0)
            throw Error("empty character class", open);
        var set = CodePointSet.FromRanges(ranges);
        var generable = CodePointSet.Range(1, CodePointSet.MaxCodePoint);
        if ((negated ? generable.Except(set) : set.Intersect(generable)).IsEmpty)
            throw Error("character class matches no character that can be generated", open);
        return new GbnfCharClass(set, negated);
    }

    private int ParseChar()
    {
        var c = Current;
        if (c != '\\')
        {
            _position++;
            return c;
        }
        var at = _position;
        var escape = Peek(1);
        _position += 2;
        switch (escape)
        {
            case 'x': return ParseHex(2, at);
            case 'u': return ParseHex(4, at);
            case 'U': return ParseHex(8, at);
            case 't': return '\t';
            case 'r': return '\r';
            case 'n': return '\n';
            // Newer llama.cpp also takes \- ; the one LLamaSharp 0.30 ships refuses it (measured), so it is refused here.
            case '\\' or '"' or '[' or ']': return escape;
            case -1: throw Error("unterminated escape", at);
            default: throw Error($"unknown escape '\\{char.ConvertFromUtf32(escape)}'", at);
        }
    }

    private int ParseHex(int digits, int at)
    {
        long value = 0;
        for (var i = 0; i < digits; i++)
        {
            var c = Current;
            int digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => throw Error(string.Create(CultureInfo.InvariantCulture, $"expecting {digits} hex digits in escape"), at),
            };
            value = value * 16 + digit;
            _position++;
        }
        if (value > CodePointSet.MaxCodePoint)
            throw Error("escape is beyond the last Unicode code point (U+10FFFF)", at);
        return (int)value;
    }

    private static string Describe(int c) => c switch
    {
        -1 => "the end",
        '\n' => "a line break",
        '\r' => "a carriage return",
        < 0x20 or 0x7F or (>= 0xD800 and <= 0xDFFF) => string.Create(CultureInfo.InvariantCulture, $"U+{c:X4}"),
        _ => $"'{char.ConvertFromUtf32(c)}'",
    };
}
