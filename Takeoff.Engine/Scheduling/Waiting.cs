namespace Takeoff.Engine.Scheduling;

/// <summary>
/// Polls for a condition that other threads make true (a counter reaching zero) where no event signals it;
/// used only on the way down (drain, dispose), never on a request's path.
/// </summary>
internal static class Waiting
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    /// <summary>Returns once <paramref name="done"/> holds, or once <paramref name="limit"/> has passed.</summary>
    public static async Task UntilAsync(Func<bool> done, TimeSpan limit, TimeProvider time)
    {
        var start = time.GetTimestamp();
        while (!done() && time.GetElapsedTime(start) < limit)
            await Task.Delay(Poll, time);
    }
}
