using System.Diagnostics.Metrics;

namespace Takeoff.Bench;

/// <summary>
/// The scheduler's per-step timings (meter <c>Takeoff.Engine.Scheduler</c>) averaged over one run: where a step's time
/// goes (admission, batch, llama_decode, sampling) and how many tokens a step carried.
/// </summary>
internal sealed class StepProfile : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, (double Sum, long Count)> _totals = [];

    public StepProfile()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Takeoff.Engine.Scheduler")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Add(instrument.Name, value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Add(instrument.Name, value));
        _listener.Start();
    }

    /// <summary>Mean per step of each phase since the last call (milliseconds; tokens for the token count), then starts afresh.</summary>
    public Dictionary<string, double> TakeMeans()
    {
        lock (_totals)
        {
            var means = _totals.ToDictionary(t => t.Key.Replace("takeoff.step.", "", StringComparison.Ordinal),
                t => t.Value.Count == 0 ? 0 : t.Value.Sum / t.Value.Count);
            _totals.Clear();
            return means;
        }
    }

    private void Add(string instrument, double value)
    {
        lock (_totals)
        {
            var (sum, count) = _totals.GetValueOrDefault(instrument);
            _totals[instrument] = (sum + value, count + 1);
        }
    }

    public void Dispose() => _listener.Dispose();
}
