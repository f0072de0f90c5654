namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// A choice among many fixed strings written with shared prefixes factored (<c>"ab" | "ac"</c> → <c>"a" ( "b" | "c" )</c>).
/// llama.cpp keeps one parse stack per alternative that can still match, and tests every candidate token against
/// every stack: a flat alternation of 40,000 words holds 40,000 stacks at its start (13 s per request, measured),
/// a trie only as many as the distinct next characters. Runs of single children are one literal (a radix tree),
/// and every <see cref="RuleDepth"/> levels of nesting the rest goes into a rule of its own, so that groups never
/// nest deeply whatever the strings.
/// </summary>
internal static class GbnfTrie
{
    /// <summary>Up to this many alternatives a flat alternation is as cheap and easier to read.</summary>
    public const int FlatAlternatives = 16;

    private const int RuleDepth = 16;

    /// <summary>An expression matching exactly <paramref name="words"/> (code points; an empty word makes it optional).</summary>
    /// <param name="checkpoint">Called every few thousand words and nodes: a budget that throws to stop the work.</param>
    public static string Alternation(IEnumerable<IReadOnlyList<int>> words, GbnfRuleSet rules, string hint, Action? checkpoint = null) =>
        Alternation(words.Select(word => (word, "")), rules, hint, checkpoint);

    /// <summary>
    /// An expression matching each word followed by its continuation (GBNF; "" for none): a choice among keys, each
    /// leading to its own value, is as cheap as a choice among words.
    /// </summary>
    public static string Alternation(IEnumerable<(IReadOnlyList<int> Word, string Continuation)> words, GbnfRuleSet rules, string hint,
        Action? checkpoint = null)
    {
        var root = new Node();
        var count = 0;
        foreach (var (word, continuation) in words)
        {
            if (++count % 4096 == 0)
                checkpoint?.Invoke();
            var node = root;
            foreach (var c in word)
            {
                if (!node.Children.TryGetValue(c, out var child))
                    node.Children[c] = child = new Node();
                node = child;
            }
            node.End = true;
            node.Continuation = continuation;
        }
        var written = 0;
        void Written()
        {
            if (++written % 4096 == 0)
                checkpoint?.Invoke();
        }
        return Write(root, rules, hint, 0, Written) is { Length: > 0 } text ? text : "\"\"";
    }

    /// <summary>What may follow <paramref name="node"/>; "" for nothing at all.</summary>
    private static string Write(Node node, GbnfRuleSet rules, string hint, int depth, Action written)
    {
        written();
        if (node.Children.Count == 0)
            return node.End ? node.Continuation : "";
        if (depth > 0 && depth % RuleDepth == 0)
            return rules.Add($"{hint}-trie", Write(node, rules, hint, depth + 1, written));
        var options = new List<string>(node.Children.Count + 1);
        foreach (var (c, child) in node.Children)
        {
            var run = new List<int> { c };
            var next = child;
            while (!next.End && next.Children.Count == 1)
            {
                var (only, below) = next.Children.First();
                run.Add(only);
                next = below;
            }
            var literal = GbnfText.Literal(run);
            options.Add(Write(next, rules, hint, depth + 1, written) is { Length: > 0 } rest ? $"{literal} {rest}" : literal);
        }
        var optional = false;
        if (node.End)
        {
            if (node.Continuation.Length > 0)
                options.Add(node.Continuation);
            else
                optional = true;
        }
        if (options.Count == 1)
            return optional ? $"( {options[0]} )?" : options[0];
        var choice = $"( {string.Join(" | ", options)} )";
        return optional ? choice + "?" : choice;
    }

    private sealed class Node
    {
        public SortedDictionary<int, Node> Children { get; } = [];

        public bool End { get; set; }

        public string Continuation { get; set; } = "";
    }
}
