namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// The text of a property name that is none of the declared names, for additional properties: a trie of the
/// declared names where, at each node, the next character either follows a branch of the trie or leaves it (any
/// other key character, then anything); at the end of a declared name one more character is required. Keys are
/// written with raw characters only (<c>key-char</c>), so a declared name cannot come back escaped.
/// </summary>
internal static class JsonKeyExclusion
{
    private static readonly CodePointSet KeyChars = CodePointSet.Range(0x20, CodePointSet.MaxCodePoint).Except(CodePointSet.Of('"', '\\'));

    public static string Content(IEnumerable<string> names, string keyChar)
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
        return Write(root, keyChar);
    }

    private static string Write(Node node, string keyChar)
    {
        var options = new List<string>();
        var followed = CodePointSet.Empty;
        foreach (var (c, child) in node.Children.OrderBy(pair => pair.Key))
        {
            // A name with a character keys never contain cannot be produced anyway.
            if (!KeyChars.Contains(c))
                continue;
            followed = followed.Union(CodePointSet.Of(c));
            options.Add($"{GbnfText.Literal([c])} {Write(child, keyChar)}".TrimEnd());
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
