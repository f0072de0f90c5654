using System.Diagnostics;
using System.Globalization;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// How long converting one schema may take on the request thread. A schema's cost is not its size: a oneOf of two
/// 10,000-value enums took 9.4 s of exclusivity checks (measured, before they were hashed). Work that can grow with
/// the schema checks this between steps and gives up with a 400 that says so.
/// </summary>
internal sealed class ConversionBudget(TimeSpan limit)
{
    /// <summary>
    /// Converting (and checking) a schema: far above what real schemas take (milliseconds), and above a 1 MB enum
    /// (20,000 values of 48 characters: 1.4 s in a Debug build on a loaded 2-core machine), far below a stall.
    /// </summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(2);

    private readonly long _start = Stopwatch.GetTimestamp();

    public TimeSpan Limit { get; } = limit;

    /// <summary>Throws when the budget is spent; <paramref name="what"/> says what was being done.</summary>
    public void Check(string what, string? keyword = null)
    {
        if (Stopwatch.GetElapsedTime(_start) > Limit)
            throw new ConstraintException(string.Create(CultureInfo.InvariantCulture,
                $"the schema is too expensive to convert: {what} took over the limit of {Limit.TotalMilliseconds:0} ms"), keyword);
    }
}
