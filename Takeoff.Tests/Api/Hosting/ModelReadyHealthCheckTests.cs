using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Takeoff.Api.Hosting;
using Takeoff.Engine.Models;
using Takeoff.Engine.Readers;
using Takeoff.Engine.Scheduling;
using Takeoff.Tests.Integration;
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
    public async Task BootReaderReady_Healthy()
    {
        var registry = new ReaderRegistry();
        await using var model = ReadyReader(registry, "a-1", "primary");

        Assert.That(await StatusOf(registry), Is.EqualTo(HealthStatus.Healthy));
    }

    [Test]
    public async Task BootGroupServedButAnotherReaderDead_Degraded()
    {
        var registry = new ReaderRegistry();
        await using var model = ReadyReader(registry, "a-1", "primary");
        var dead = Reader("b-1", "secondary", boot: false);
        dead.Failed("no such file");
        registry.Add(dead);

        Assert.That(await StatusOf(registry), Is.EqualTo(HealthStatus.Degraded));
    }

    [Test]
    public async Task ShuttingDown_UnhealthyAtOnce()
    {
        var registry = new ReaderRegistry();
        await using var model = ReadyReader(registry, "a-1", "primary");
        Assert.That(await StatusOf(registry), Is.EqualTo(HealthStatus.Healthy), "ready before the shutdown");

        registry.BeginShutdown();

        Assert.That(await StatusOf(registry), Is.EqualTo(HealthStatus.Unhealthy));
    }

    /// <summary>A boot reader of <paramref name="group"/> serving a real model (stories260K, loaded by hand).</summary>
    private static LoadedModel ReadyReader(ReaderRegistry registry, string id, string group)
    {
        var reader = Reader(id, group, boot: true);
        var entry = new ModelEntry { Name = id, File = "stories260K.gguf", ContextSize = 64, MaxBatchSize = 1, ConsumerGroup = group };
        var model = ModelLoader.Load(entry, TestModels.Stories260K, TestModels.Directory, new LlamaDecoders(), Engines.Telemetry(), null,
            TimeProvider.System, NullLoggerFactory.Instance, crashed: _ => { });
        reader.StartAsync(_ => Task.FromResult(model)).GetAwaiter().GetResult();
        Assert.That(reader.State, Is.EqualTo(ReaderState.Ready));
        registry.Add(reader);
        return model;
    }
}
