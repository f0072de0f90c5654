namespace Takeoff.Tests.Support;

/// <summary>A clock stopped at one instant, in UTC, so <c>strftime_now</c> agrees with the golden files.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
