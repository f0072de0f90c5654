namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// The text of a property name that is none of the declared names, for additional properties: a trie of the
/// declared names where, at each node, the next character either follows a branch of the trie or leaves it (any
/// other key character, then anything); at the end of a declared name one more character is required. Keys are
/// written with raw characters only (<c>key-char</c>), so a declared name cannot come back escaped. Every
/// <see cref="RuleDepth"/> characters the rest of the trie goes into a rule of its own, so that groups never nest
/// deeply whatever the length of the names.
/// </summary>
internal static class JsonKeyExclusion
{
    private const int RuleDepth = 32;

    private static readonly CodePointSet KeyChars = CodePointSet.Range(0x20, CodePointSet.MaxCodePoint).Except(CodePointSet.Of('"', '\\'));

    public static string Content(IEnumerable<string> names, string keyChar, GbnfRuleSet rules, string hint)
    {
        var root = new Node();
        foreach (var name in names)
        {
            var node = root;
            foreach (var rune in name.EnumerateRunes())
            {
                if (!node.Children.TryGetValue(rune.Value, out var child))
                    node.Children[rune.Value] = child = new Node();
                node = child;
            }
            node.EndsName = true;
        }
        return Write(root, keyChar, rules, hint, 0);
    }

    private static string Write(Node node, string keyChar, GbnfRuleSet rules, string hint, int depth)
    {
        if (depth > 0 && depth % RuleDepth == 0)
            return rules.Add(hint, Write(node, keyChar, rules, hint, depth + 1));
        var options = new List<string>();
        var followed = CodePointSet.Empty;
        foreach (var (c, child) in node.Children.OrderBy(pair => pair.Key))
        {
            // A name with a character keys never contain cannot be produced anyway.
            if (!KeyChars.Contains(c))
                continue;
            followed = followed.Union(CodePointSet.Of(c));
            options.Add($"{GbnfText.Literal([c])} {Write(child, keyChar, rules, hint, depth + 1)}".TrimEnd());
        }
        options.Add($"{GbnfText.Class(KeyChars.Except(followed))} {keyChar}*");
        var choice = $"( {string.Join(" | ", options)} )";
        return node.EndsName ? choice : choice + "?";
    }

    private sealed class Node
    {
        public Dictionary<int, Node> Children { get; } = [];

        public bool EndsName { get; set; }
    }
}
