using Microsoft.Extensions.Diagnostics.HealthChecks;
using Takeoff.Engine;
using Takeoff.Engine.Readers;

namespace Takeoff.Api.Hosting;

/// <summary>
/// Readiness: healthy when every consumer group started at boot has a ready reader and the server is not shutting
/// down (readers added later, still loading, do not count). Dead readers make it "degraded" (still 200): the others
/// serve, and /status says what failed.
/// </summary>
public sealed class ModelReadyHealthCheck(InferenceEngine engine) : IHealthCheck
{
    public const string Tag = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var readers = engine.Readers();
        var data = readers.ToDictionary(r => r.Id, r => (object)(r.State == ReaderState.Ready
            ? $"{r.ActiveSequences} active, {r.QueuedSequences} queued"
            : r.State.ToString().ToLowerInvariant()));
        if (!engine.IsReady)
            return Task.FromResult(HealthCheckResult.Unhealthy("Shutting down, or a group started at boot has no ready reader.", data: data));
        return Task.FromResult(readers.Any(r => r.State == ReaderState.Dead)
            ? HealthCheckResult.Degraded("Some readers are dead; see /status on the management port.", data: data)
            : HealthCheckResult.Healthy("Serving.", data));
    }
}
