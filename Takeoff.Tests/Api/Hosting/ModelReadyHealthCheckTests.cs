using Microsoft.Extensions.Diagnostics.HealthChecks;
using Takeoff.Api.Hosting;
using Takeoff.Engine.Models;
using Takeoff.Engine.Readers;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Api.Hosting;

/// <summary>Readiness as Kubernetes probes need it: the groups started at boot are served, and the server is not stopping.</summary>
internal sealed class ModelReadyHealthCheckTests
{
    private static Reader Reader(string id, string group, bool boot) =>
        new(id, new ModelEntry { Name = id, File = "a.gguf", ConsumerGroup = group }, boot);

    private static async Task<HealthStatus> StatusOf(ReaderRegistry registry) =>
        (await new ModelReadyHealthCheck(Engines.Over(registry)).CheckHealthAsync(new HealthCheckContext())).Status;

    [Test]
    public async Task BootReaderStillLoading_Unhealthy()
    {
        var registry = new ReaderRegistry();
        registry.Add(Reader("a-1", "primary", boot: true));

        Assert.That(await StatusOf(registry), Is.EqualTo(HealthStatus.Unhealthy));
    }

    [Test]
    public async Task OnlyDeadBootReaders_Unhealthy()
    {
        var registry = new ReaderRegistry();
        var reader = Reader("a-1", "primary", boot: true);
        reader.Failed("no such file");
        registry.Add(reader);

        Assert.That(await StatusOf(registry), Is.EqualTo(HealthStatus.Unhealthy));
    }

    [Test]
    public async Task ShuttingDown_UnhealthyAtOnce()
    {
        var registry = new ReaderRegistry();
        registry.Add(Reader("a-1", "primary", boot: true));
        registry.BeginShutdown();

        Assert.That(await StatusOf(registry), Is.EqualTo(HealthStatus.Unhealthy));
    }
}
