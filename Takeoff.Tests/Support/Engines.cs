using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Takeoff.Engine;
using Takeoff.Engine.Diagnostics;
using Takeoff.Engine.Hosting;
using Takeoff.Engine.Models;
using Takeoff.Engine.Quantization;
using Takeoff.Engine.Readers;
using Takeoff.Engine.Scheduling;

namespace Takeoff.Tests.Support;

/// <summary>Engines over hand-built reader registries, for tests of what the API makes of the engine's state.</summary>
internal static class Engines
{
    public static IMeterFactory Meters() => new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static InferenceEngine Over(ReaderRegistry registry) => new(registry, new ReaderManager(
        Options.Create(new EngineOptions()), registry,
        new ModelFileResolver(new ModelDownloader(new HttpClient(), NullLogger<ModelDownloader>.Instance)),
        new ModelQuantizer(NullLogger<ModelQuantizer>.Instance), new LlamaDecoders(), new EngineMetrics(Meters()), TimeProvider.System, NullLoggerFactory.Instance), new EngineOptions());

    /// <summary>A reader's telemetry, for a model loaded by hand.</summary>
    public static ReaderTelemetry Telemetry() =>
        new(new EngineMetrics(Meters()), "test-1", "primary", "test", NullLogger.Instance);
}
