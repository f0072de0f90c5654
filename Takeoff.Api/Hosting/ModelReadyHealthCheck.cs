using Microsoft.Extensions.Diagnostics.HealthChecks;
using Takeoff.Engine.Generation;

namespace Takeoff.Api.Hosting;

/// <summary>Healthy once a model is loaded and serving; until then /health answers 503.</summary>
public sealed class ModelReadyHealthCheck(ModelRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!registry.IsReady)
            return Task.FromResult(HealthCheckResult.Unhealthy("The model is loading."));
        var data = registry.Models.ToDictionary(m => m.Entry.Name,
            m => (object)$"{m.ActiveSequences} active, {m.QueuedRequests} queued");
        return Task.FromResult(HealthCheckResult.Healthy("Serving.", data));
    }
}
