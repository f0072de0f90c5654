namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>An immutable set of code points in [0, 0x10FFFF], kept as sorted, disjoint, non-adjacent ranges.</summary>
internal sealed class CodePointSet : IEquatable<CodePointSet>
{
    public const int MaxCodePoint = 0x10FFFF;

    private readonly CodePointRange[] _ranges;

    private CodePointSet(CodePointRange[] normalized) => _ranges = normalized;

    public static CodePointSet Empty { get; } = new([]);

    public static CodePointSet All { get; } = new([new CodePointRange(0, MaxCodePoint)]);

    public IReadOnlyList<CodePointRange> Ranges => _ranges;

    public bool IsEmpty => _ranges.Length == 0;

    /// <summary>The one code point of a single-member set, else null.</summary>
    public int? Single => _ranges.Length == 1 && _ranges[0].First == _ranges[0].Last ? _ranges[0].First : null;

    public static CodePointSet Of(int codePoint) => Range(codePoint, codePoint);

    /// <summary>One range: without FromRanges' sorting, since the parser makes one set per character of every literal.</summary>
    public static CodePointSet Range(int first, int last)
    {
        first = Math.Max(first, 0);
        last = Math.Min(last, MaxCodePoint);
        return first <= last ? new CodePointSet([new CodePointRange(first, last)]) : Empty;
    }

    public static CodePointSet Of(params ReadOnlySpan<char> characters)
    {
        var ranges = new List<CodePointRange>(characters.Length);
        foreach (var c in characters)
            ranges.Add(new CodePointRange(c, c));
        return FromRanges(ranges);
    }

    public static CodePointSet FromRanges(IEnumerable<CodePointRange> ranges)
    {
        var sorted = ranges
            .Select(r => new CodePointRange(Math.Max(r.First, 0), Math.Min(r.Last, MaxCodePoint)))
            .Where(r => r.First <= r.Last)
            .OrderBy(r => r.First)
            .ToList();
        var merged = new List<CodePointRange>(sorted.Count);
        foreach (var range in sorted)
        {
            if (merged.Count > 0 && range.First <= merged[^1].Last + 1)
                merged[^1] = merged[^1] with { Last = Math.Max(merged[^1].Last, range.Last) };
            else
                merged.Add(range);
        }
        return merged.Count == 0 ? Empty : new CodePointSet([.. merged]);
    }

    public bool Contains(int codePoint)
    {
        int low = 0, high = _ranges.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (codePoint < _ranges[middle].First)
                high = middle - 1;
            else if (codePoint > _ranges[middle].Last)
                low = middle + 1;
            else
                return true;
        }
        return false;
    }

    public CodePointSet Union(CodePointSet other) => FromRanges(_ranges.Concat(other._ranges));

    public CodePointSet Complement()
    {
        var result = new List<CodePointRange>(_ranges.Length + 1);
        var next = 0;
        foreach (var range in _ranges)
        {
            if (range.First > next)
                result.Add(new CodePointRange(next, range.First - 1));
            next = range.Last + 1;
        }
        if (next <= MaxCodePoint)
            result.Add(new CodePointRange(next, MaxCodePoint));
        return new CodePointSet([.. result]);
    }

    public CodePointSet Intersect(CodePointSet other) => Complement().Union(other.Complement()).Complement();

    public CodePointSet Except(CodePointSet other) => Intersect(other.Complement());

    public bool Equals(CodePointSet? other) => other is not null && _ranges.AsSpan().SequenceEqual(other._ranges);

    public override bool Equals(object? obj) => Equals(obj as CodePointSet);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var range in _ranges)
            hash.Add(range);
        return hash.ToHashCode();
    }
}
