using System.Diagnostics;

namespace Takeoff.Bench;

/// <summary>Runs <c>requests</c> requests through <c>concurrency</c> clients, each client one request at a time.</summary>
internal static class LoadGenerator
{
    /// <param name="send">Sends one request, calls its argument when the first token arrives, returns the tokens generated.</param>
    public static async Task<RunResult> RunAsync(string mode, int concurrency, int requests, Func<Action, Task<int>> send)
    {
        var timings = new List<RequestTiming>();
        var next = 0;
        var clock = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= requests)
            {
                var started = clock.Elapsed;
                var firstToken = TimeSpan.Zero;
                var ok = true;
                var tokens = 0;
                try
                {
                    tokens = await send(() => { if (firstToken == TimeSpan.Zero) firstToken = clock.Elapsed - started; });
                }
                catch (Exception e)
                {
                    ok = false;
                    Console.Error.WriteLine($"{mode}: {e.GetType().Name}: {e.Message}");
                }
                lock (timings)
                    timings.Add(new RequestTiming(ok, tokens, firstToken, clock.Elapsed - started));
            }
        })).ToArray();
        await Task.WhenAll(clients);
        return RunResult.From(mode, concurrency, timings, clock.Elapsed.TotalSeconds);
    }
}
