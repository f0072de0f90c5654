using Microsoft.Extensions.Diagnostics.HealthChecks;
using Takeoff.Api.Hosting;
using Takeoff.Engine.Generation;

namespace Takeoff.Tests.Api.Hosting;

internal sealed class ModelReadyHealthCheckTests
{
    [Test]
    public async Task NoModelLoadedYet_Unhealthy()
    {
        await using var registry = new ModelRegistry();
        registry.MarkLoading("primary");

        var result = await new ModelReadyHealthCheck(registry).CheckHealthAsync(new HealthCheckContext());

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
    }
}
