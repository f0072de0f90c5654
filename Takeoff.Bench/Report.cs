using System.Globalization;

namespace Takeoff.Bench;

/// <summary>The benchmark table: every mode per concurrency, and the ratios that matter, all from one run.</summary>
internal static class Report
{
    /// <summary>
    /// The scheduler's own account of each run: milliseconds per step in each phase, tokens per step; and llama-server's
    /// step (its per-token time, phases not told apart) for comparison.
    /// </summary>
    public static void PrintSteps(IEnumerable<(string Mode, int Concurrency, Dictionary<string, double> Means)> profiles)
    {
        Console.WriteLine("\nper decode step (means; llama: llama-server's own per-token time, which is its step):\n");
        Console.WriteLine("| mode | conc | admit ms | batch ms | decode ms | sample ms | step ms | tokens |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (mode, concurrency, means) in profiles.Where(p => p.Means.Count > 0))
        {
            string M(string phase) => means.TryGetValue(phase, out var ms) ? ms.ToString("F3", CultureInfo.InvariantCulture) : "-";
            var step = means.GetValueOrDefault("step", means.GetValueOrDefault("admit") + means.GetValueOrDefault("batch")
                + means.GetValueOrDefault("decode") + means.GetValueOrDefault("sample"));
            var tokens = means.TryGetValue("tokens", out var count) ? count.ToString("F1", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {mode} | {concurrency} | {M("admit")} | {M("batch")} | {M("decode")} | {M("sample")} | {step:F3} | {tokens} |"));
        }
    }

    private static string Ratio(RunResult? over, RunResult? under) => over is null || under is null
        ? "-"
        : (over.TokensPerSecond / under.TokensPerSecond).ToString("F2", CultureInfo.InvariantCulture) + "x";

    public static void Print(Dictionary<string, string> machine, IReadOnlyList<RunResult> results, int tokens)
    {
        foreach (var (key, value) in machine)
            Console.WriteLine($"{key}: {value}");
        Console.WriteLine($"each request: greedy, exactly {tokens} new tokens\n");
        Console.WriteLine("| mode | conc | requests | errors | tokens/s | TTFT p50 ms | TTFT p95 ms | latency p50 ms | latency p95 ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Mode} | {r.Concurrency} | {r.Requests} | {r.Errors} | {r.TokensPerSecond:F0} | {r.TtftP50Ms:F1} | {r.TtftP95Ms:F1} | {r.LatencyP50Ms:F0} | {r.LatencyP95Ms:F0} |"));
        }

        var serverAtOne = results.FirstOrDefault(r => r is { Mode: "server", Concurrency: 1 })?.TokensPerSecond;
        Console.WriteLine("\n| conc | server / engine | server / server@1 | server / naive | v1 / chat | v1 / server | server / llama-server | schema / free | llama-server schema / free |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var server in results.Where(r => r.Mode == "server"))
        {
            var engine = results.Single(r => r.Mode == "engine" && r.Concurrency == server.Concurrency);
            var naive = results.SingleOrDefault(r => r.Mode == "naive" && r.Concurrency == server.Concurrency);
            var v1 = results.Single(r => r.Mode == "v1" && r.Concurrency == server.Concurrency);
            var chat = results.Single(r => r.Mode == "chat" && r.Concurrency == server.Concurrency);
            var llama = results.SingleOrDefault(r => r.Mode == "llama" && r.Concurrency == server.Concurrency);
            var free = results.SingleOrDefault(r => r.Mode == "free" && r.Concurrency == server.Concurrency);
            var schema = results.SingleOrDefault(r => r.Mode == "schema" && r.Concurrency == server.Concurrency);
            var llamaFree = results.SingleOrDefault(r => r.Mode == "llama-free" && r.Concurrency == server.Concurrency);
            var llamaSchema = results.SingleOrDefault(r => r.Mode == "llama-schema" && r.Concurrency == server.Concurrency);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {server.Concurrency} | {server.TokensPerSecond / engine.TokensPerSecond:F2}x | {(serverAtOne is { } one ? server.TokensPerSecond / one : double.NaN):F2}x | {(naive is null ? "-" : (server.TokensPerSecond / naive.TokensPerSecond).ToString("F1", CultureInfo.InvariantCulture) + "x")} | {v1.TokensPerSecond / chat.TokensPerSecond:F2}x | {v1.TokensPerSecond / server.TokensPerSecond:F2}x | {Ratio(server, llama)} | {Ratio(schema, free)} | {Ratio(llamaSchema, llamaFree)} |"));
        }
    }
}
