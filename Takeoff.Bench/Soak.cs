using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Takeoff.Bench;

/// <summary>
/// Mixed traffic against a running server for a while, then what went wrong and how memory moved: requests and
/// unexpected answers by kind, latency p50/p99, and the server's resident memory at start, during and at the end.
/// </summary>
internal static class Soak
{
    /// <param name="hostile">The share of requests (0–1) drawn from <see cref="HostileRequests"/> instead.</param>
    public static async Task<int> RunAsync(Uri url, int pid, TimeSpan duration, int clients, double hostile)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 })
        {
            BaseAddress = url, Timeout = TimeSpan.FromMinutes(2),
        };
        var results = new ConcurrentBag<(string Kind, string Outcome, double Ms)>();
        var memory = new List<(TimeSpan At, long Bytes)> { (TimeSpan.Zero, ResidentBytes(pid)) };
        var clock = Stopwatch.StartNew();
        using var sampling = new PeriodicTimer(TimeSpan.FromSeconds(30));
        var sampler = Task.Run(async () =>
        {
            while (await sampling.WaitForNextTickAsync())
                lock (memory)
                    memory.Add((clock.Elapsed, ResidentBytes(pid)));
        });

        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(client);
            while (clock.Elapsed < duration)
            {
                var kinds = random.NextDouble() < hostile ? HostileRequests.All : SoakRequests.All;
                var (kind, send) = kinds[random.Next(kinds.Length)];
                var started = clock.Elapsed;
                string outcome;
                try
                {
                    outcome = await send(http);
                }
                catch (Exception e)
                {
                    outcome = e.GetType().Name;
                }
                results.Add((kind, outcome, (clock.Elapsed - started).TotalMilliseconds));
            }
        })));
        sampling.Dispose();
        await sampler;
        memory.Add((clock.Elapsed, ResidentBytes(pid)));
        return Report(results.ToArray(), memory, clock.Elapsed, clients);
    }

    private static int Report((string Kind, string Outcome, double Ms)[] results, List<(TimeSpan At, long Bytes)> memory,
        TimeSpan elapsed, int clients)
    {
        static string F(double value) => value.ToString("F0", CultureInfo.InvariantCulture);
        Console.WriteLine($"soak: {clients} clients for {elapsed.TotalMinutes:F1} min, {results.Length} requests\n");
        Console.WriteLine("| kind | requests | unexpected | p50 ms | p99 ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var kind in results.GroupBy(r => r.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
            Console.WriteLine($"| {kind.Key} | {kind.Count()} | {kind.Count(r => r.Outcome != "ok")} | {F(Percentile(kind, 50))} | {F(Percentile(kind, 99))} |");
        Console.WriteLine($"| all | {results.Length} | {results.Count(r => r.Outcome != "ok")} | {F(Percentile(results, 50))} | {F(Percentile(results, 99))} |");

        var failures = results.Where(r => r.Outcome != "ok").GroupBy(r => (r.Kind, r.Outcome)).ToArray();
        foreach (var failure in failures)
            Console.WriteLine($"unexpected: {failure.Key.Kind}: {failure.Key.Outcome} x{failure.Count()}");

        var start = memory[0].Bytes;
        var end = memory[^1].Bytes;
        // The first minute fills the KV cache, the JIT and the pools: growth after it is what a leak would look like.
        var warm = memory.FirstOrDefault(m => m.At >= TimeSpan.FromMinutes(1), memory[^1]).Bytes;
        Console.WriteLine($"\nserver RSS: start {start / 1_048_576.0:F1} MiB, after 1 min {warm / 1_048_576.0:F1} MiB, " +
                          $"end {end / 1_048_576.0:F1} MiB ({(end - warm) * 100.0 / warm:+0.0;-0.0}% since 1 min), " +
                          $"peak {memory.Max(m => m.Bytes) / 1_048_576.0:F1} MiB");
        Console.WriteLine("RSS samples (min: MiB): " + string.Join(", ",
            memory.Select(m => $"{m.At.TotalMinutes:F1}: {m.Bytes / 1_048_576.0:F0}")));
        return failures.Length == 0 ? 0 : 1;
    }

    private static double Percentile(IEnumerable<(string Kind, string Outcome, double Ms)> results, int p) =>
        Percentiles.Of(results.Select(r => r.Ms), p);

    /// <summary>The server's resident set (VmRSS), as the kernel counts it.</summary>
    private static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
