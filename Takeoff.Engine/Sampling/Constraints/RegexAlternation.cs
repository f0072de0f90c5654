namespace Takeoff.Engine.Sampling.Constraints;

/// <summary><c>a|b|c</c>.</summary>
internal sealed record RegexAlternation(IReadOnlyList<RegexNode> Options) : RegexNode
{
    public override bool Nullable => Options.Any(o => o.Nullable);

    public override RegexNode? WithoutEmpty()
    {
        var options = Options.Select(o => o.WithoutEmpty()).OfType<RegexNode>().ToList();
        return options.Count switch { 0 => null, 1 => options[0], _ => new RegexAlternation(options) };
    }
}
