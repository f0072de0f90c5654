namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// Writes a parsed regex as GBNF. In JSON-string mode each character is written as the JSON text that encodes it
/// (raw, or the escape JSON requires), since the grammar generates the JSON document, not the decoded string.
/// </summary>
internal sealed class RegexEmitter(GbnfRuleSet rules, string hint, bool jsonString)
{
    private static readonly CodePointSet MustEscape = CodePointSet.Range(0, 0x1F).Union(CodePointSet.Of('"', '\\'));

    private readonly Dictionary<CodePointSet, string> _charRules = [];

    public string Emit(RegexNode node) => node switch
    {
        RegexChars chars => Chars(chars.Set),
        RegexSequence sequence => Sequence(sequence.Items),
        RegexAlternation alternation => "(" + Alternatives(alternation.Options) + ")",
        RegexRepeat repeat => Repeat(repeat),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "Unknown regex node."),
    };

    /// <summary>
    /// <c>a|b|c</c> without the parentheses; many literal options (a word list) as a trie, which llama.cpp tracks
    /// with a stack per distinct next character instead of one per option.
    /// </summary>
    public string Alternatives(IReadOnlyList<RegexNode> options)
    {
        if (options.Count > GbnfTrie.FlatAlternatives && options.All(o => LiteralOf(o) is not null))
            return GbnfTrie.Alternation(options.Select(o => Encoded(LiteralOf(o)!)), rules, hint);
        return string.Join(" | ", options.Select(Emit));
    }

    /// <summary>The code points of an option that is fixed text, else null.</summary>
    private static List<int>? LiteralOf(RegexNode node) => node switch
    {
        RegexChars { Set.Single: { } single } => [single],
        RegexSequence sequence when sequence.Items.All(i => i is RegexChars { Set.Single: not null }) =>
            [.. sequence.Items.Select(i => ((RegexChars)i).Set.Single!.Value)],
        _ => null,
    };

    private List<int> Encoded(List<int> codePoints) => jsonString
        ? [.. string.Concat(codePoints.Select(JsonLiteral.EncodeChar)).EnumerateRunes().Select(r => r.Value)]
        : codePoints;

    private string Sequence(IReadOnlyList<RegexNode> items)
    {
        var parts = new List<string>();
        var run = new List<int>();
        foreach (var item in items)
        {
            if (item is RegexChars { Set.Single: { } single })
            {
                run.Add(single);
                continue;
            }
            Flush(run, parts);
            parts.Add(Emit(item));
        }
        Flush(run, parts);
        return parts.Count == 0 ? "\"\"" : string.Join(" ", parts);
    }

    private void Flush(List<int> run, List<string> parts)
    {
        if (run.Count > 0)
            parts.Add(Text(run));
        run.Clear();
    }

    private string Text(IEnumerable<int> codePoints) => jsonString
        ? GbnfText.Literal(string.Concat(codePoints.Select(JsonLiteral.EncodeChar)))
        : GbnfText.Literal(codePoints);

    /// <summary>One character of <paramref name="set"/>: a literal, a class, or (JSON mode with escapes) a rule.</summary>
    private string Chars(CodePointSet set)
    {
        if (set.Single is { } single)
            return Text([single]);
        if (!jsonString)
            return GbnfText.Class(set);

        var raw = set.Except(MustEscape);
        var escaped = set.Intersect(MustEscape);
        var parts = new List<string>();
        if (!raw.IsEmpty)
            parts.Add(GbnfText.Class(raw));
        foreach (var range in escaped.Ranges)
        {
            for (var c = range.First; c <= range.Last; c++)
                parts.Add(Text([c]));
        }
        if (parts.Count == 1)
            return parts[0];
        if (!_charRules.TryGetValue(set, out var name))
        {
            name = rules.Add(hint + "-char", string.Join(" | ", parts));
            _charRules[set] = name;
        }
        return name;
    }

    private string Repeat(RegexRepeat repeat)
    {
        var item = repeat.Item;
        var min = repeat.Min;
        if (repeat.Max is null && item.Nullable)
        {
            if (item.WithoutEmpty() is not { } nonEmpty)
                return "\"\"";
            item = nonEmpty;
            min = 0;
        }
        return rules.Repeat(Atom(item), min, repeat.Max, "pattern");
    }

    /// <summary>A single GBNF symbol for <paramref name="item"/>, so that llama.cpp's repetition limits count it as one rule.</summary>
    private string Atom(RegexNode item) =>
        item is RegexChars chars ? Chars(chars.Set) : rules.Add(hint + "-group", Emit(item));
}
