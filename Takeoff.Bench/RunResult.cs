namespace Takeoff.Bench;

/// <summary>One mode at one concurrency: aggregate throughput and the latency percentiles of its requests.</summary>
internal sealed record RunResult(
    string Mode, int Concurrency, int Requests, int Errors, long GeneratedTokens, double Seconds,
    double TtftP50Ms, double TtftP95Ms, double LatencyP50Ms, double LatencyP95Ms)
{
    public double TokensPerSecond => GeneratedTokens / Seconds;

    public static RunResult From(string mode, int concurrency, IReadOnlyList<RequestTiming> timings, double seconds)
    {
        var ok = timings.Where(t => t.Ok).ToArray();
        return new RunResult(mode, concurrency, timings.Count, timings.Count - ok.Length, ok.Sum(t => (long)t.Tokens), seconds,
            Percentiles.Of(ok.Select(t => t.FirstToken.TotalMilliseconds), 50), Percentiles.Of(ok.Select(t => t.FirstToken.TotalMilliseconds), 95),
            Percentiles.Of(ok.Select(t => t.Total.TotalMilliseconds), 50), Percentiles.Of(ok.Select(t => t.Total.TotalMilliseconds), 95));
    }
}

internal readonly record struct RequestTiming(bool Ok, int Tokens, TimeSpan FirstToken, TimeSpan Total);
