namespace Takeoff.Engine.Sampling.Constraints;

/// <summary><see cref="Item"/> repeated <see cref="Min"/> to <see cref="Max"/> times (null: no maximum).</summary>
internal sealed record RegexRepeat(RegexNode Item, int Min, int? Max) : RegexNode
{
    public override bool Nullable => Min == 0 || Item.Nullable;

    /// <summary>When Min is 0 or the item can be empty: 1 to Max non-empty pieces (empty pieces pad up to Min).</summary>
    public override RegexNode? WithoutEmpty()
    {
        if (!Nullable)
            return this;
        if (Max == 0 || Item.WithoutEmpty() is not { } item)
            return null;
        return new RegexRepeat(item, 1, Max);
    }
}
