namespace Takeoff.Bench;

/// <summary>Nearest-rank percentiles of measured values, as every table of the benchmark reports them.</summary>
internal static class Percentiles
{
    /// <summary>The <paramref name="p"/>th percentile (nearest rank); NaN when there are no values.</summary>
    public static double Of(IEnumerable<double> values, int p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    /// <summary>The median (nearest rank: of an even count, the lower middle value).</summary>
    public static double Median(IEnumerable<double> values) => Of(values, 50);
}
