using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Takeoff.Engine.Scheduling;

namespace Takeoff.Tests.Integration;

/// <summary>Listens to the engine's <c>takeoff.request.generated_tokens</c> metric: how each request ended.</summary>
internal sealed class FinishedRequests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Model, string Outcome, int Tokens)> _finished = new();

    public FinishedRequests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EngineMetrics.MeterName && instrument.Name == "takeoff.request.generated_tokens")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<int>((_, tokens, tags, _) =>
        {
            string? model = null, outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "model")
                    model = (string)tag.Value!;
                else if (tag.Key == "outcome")
                    outcome = (string)tag.Value!;
            }
            _finished.Enqueue((model!, outcome!, tokens));
        });
        _listener.Start();
    }

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

    public void Dispose() => _listener.Dispose();
}
