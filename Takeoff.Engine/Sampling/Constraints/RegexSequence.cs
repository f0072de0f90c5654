namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>Items one after the other; no items matches the empty string.</summary>
internal sealed record RegexSequence(IReadOnlyList<RegexNode> Items) : RegexNode
{
    public static RegexSequence Empty { get; } = new([]);

    public override bool Nullable => Items.All(i => i.Nullable);

    /// <summary>When every item can be empty: (x1 - ε) x2..xn | (x2 - ε) x3..xn | ... | (xn - ε).</summary>
    public override RegexNode? WithoutEmpty()
    {
        if (!Nullable)
            return this;
        var options = new List<RegexNode>();
        for (var i = 0; i < Items.Count; i++)
        {
            if (Items[i].WithoutEmpty() is not { } first)
                continue;
            var rest = Items.Skip(i + 1).ToList();
            options.Add(rest.Count == 0 ? first : new RegexSequence([first, .. rest]));
        }
        return options.Count switch { 0 => null, 1 => options[0], _ => new RegexAlternation(options) };
    }
}
