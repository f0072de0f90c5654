using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Takeoff.Engine.Diagnostics;
using Takeoff.Engine.Hosting;
using Takeoff.Engine.Models;
using Takeoff.Engine.Quantization;
using Takeoff.Engine.Readers;
using Takeoff.Engine.Scheduling;

namespace Takeoff.Engine;

public static class EngineServiceCollectionExtensions
{
    /// <summary>Registers the engine: options, readers and their registry, the boot loader and the front door.</summary>
    public static IServiceCollection AddTakeoffEngine(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<EngineOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IDecoderFactory, LlamaDecoders>();
        services.AddMetrics();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<EngineMetrics>();
        services.AddSingleton<ReaderRegistry>();
        services.AddSingleton<ModelQuantizer>();
        services.AddSingleton<ReaderManager>();
        services.AddSingleton(sp => new InferenceEngine(sp.GetRequiredService<ReaderRegistry>(), sp.GetRequiredService<ReaderManager>(),
            sp.GetRequiredService<IOptions<EngineOptions>>().Value));
        services.AddSingleton(sp => new ModelDownloader(ModelDownloader.CreateDefaultClient(),
            sp.GetRequiredService<ILogger<ModelDownloader>>()));
        services.AddSingleton(sp => new ModelFileResolver(sp.GetRequiredService<ModelDownloader>(),
            new ConsoleProgressBar(Console.Error)));
        services.AddHostedService<ReaderBoot>();
        return services;
    }
}
