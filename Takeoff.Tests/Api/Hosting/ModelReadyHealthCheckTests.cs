using Microsoft.Extensions.Diagnostics.HealthChecks;
using Takeoff.Api.Hosting;
using Takeoff.Engine.Models;
using Takeoff.Engine.Readers;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Api.Hosting;

internal sealed class ModelReadyHealthCheckTests
{
    [Test]
    public async Task ReaderStillLoading_Unhealthy()
    {
        var registry = new ReaderRegistry();
        registry.Add(new Reader("a-1", new ModelEntry { Name = "a", File = "a.gguf" }));

        var result = await new ModelReadyHealthCheck(Engines.Over(registry)).CheckHealthAsync(new HealthCheckContext());

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
    }

    [Test]
    public async Task OnlyDeadReaders_Unhealthy()
    {
        var registry = new ReaderRegistry();
        var reader = new Reader("a-1", new ModelEntry { Name = "a", File = "a.gguf" });
        reader.Failed("no such file");
        registry.Add(reader);

        var result = await new ModelReadyHealthCheck(Engines.Over(registry)).CheckHealthAsync(new HealthCheckContext());

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
    }
}
