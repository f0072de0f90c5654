using System.Collections.Concurrent;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Integration;

/// <summary>Listens to the servers' request log: how each request (each choice) ended, and with how many tokens.</summary>
internal sealed class FinishedRequests : IDisposable
{
    private readonly ConcurrentQueue<(string Model, string Outcome, int Tokens)> _finished = new();

    public FinishedRequests() => RequestLog.Finished += Record;

    private void Record(IReadOnlyDictionary<string, object?> line) =>
        _finished.Enqueue(((string)line["Model"]!, (string)line["Outcome"]!, (int)line["GeneratedTokens"]!));

    /// <summary>Tokens of the first request that ended with <paramref name="outcome"/> (on <paramref name="model"/>, if given).</summary>
    public async Task<int> WaitForAsync(string outcome, TimeSpan timeout, string? model = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var match = _finished.FirstOrDefault(f => f.Outcome == outcome && (model is null || f.Model == model));
            if (match.Outcome is not null)
                return match.Tokens;
            await Task.Delay(10);
        }
        throw new TimeoutException($"No request {(model is null ? "" : $"of '{model}' ")}finished as '{outcome}' within {timeout}.");
    }

    public void Dispose() => RequestLog.Finished -= Record;
}
