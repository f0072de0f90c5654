using Microsoft.Extensions.Diagnostics.HealthChecks;
using Takeoff.Engine;
using Takeoff.Engine.Readers;

namespace Takeoff.Api.Hosting;

/// <summary>
/// Healthy once every reader has finished loading and at least one serves; 503 while any is loading.
/// Dead readers make it "degraded" (still 200): the others serve, and /status says what failed.
/// </summary>
public sealed class ModelReadyHealthCheck(InferenceEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var readers = engine.Readers();
        var data = readers.ToDictionary(r => r.Id, r => (object)(r.State == ReaderState.Ready
            ? $"{r.ActiveSequences} active, {r.QueuedSequences} queued"
            : r.State.ToString().ToLowerInvariant()));
        if (!engine.IsReady)
            return Task.FromResult(HealthCheckResult.Unhealthy("Readers are loading, or none serves.", data: data));
        return Task.FromResult(readers.Any(r => r.State == ReaderState.Dead)
            ? HealthCheckResult.Degraded("Some readers failed to load; see /status on the management port.", data: data)
            : HealthCheckResult.Healthy("Serving.", data));
    }
}
