namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>Python's hash equality for dict keys: numbers by value across bool, int and float; strings ordinally.</summary>
internal sealed class PyKeyComparer : IEqualityComparer<object>
{
    public static PyKeyComparer Instance { get; } = new();

    public new bool Equals(object? x, object? y) => Py.Equal(x, y);

    public int GetHashCode(object obj) => obj switch
    {
        bool b => b ? 1 : 0,
        long l => l.GetHashCode(),
        double d when d == Math.Floor(d) && Math.Abs(d) < 9e18 => ((long)d).GetHashCode(),
        string s => StringComparer.Ordinal.GetHashCode(s),
        object?[] tuple => tuple.Aggregate(17, (h, item) => (h * 31) + (item is null ? 0 : GetHashCode(item))),
        _ => obj.GetHashCode(),
    };
}
