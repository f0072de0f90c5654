using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Takeoff.Engine;

namespace Takeoff.Api.Hosting;

/// <summary>What an operator reads: Prometheus metrics at /metrics, console logs as text or JSON.</summary>
public static class Observability
{
    public static WebApplicationBuilder AddTakeoffObservability(this WebApplicationBuilder builder, IConfiguration takeoff)
    {
        if (takeoff.GetValue(nameof(ServerOptions.LogFormat), LogFormat.Simple) == LogFormat.Json)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole();
        }
        if (takeoff.GetValue(nameof(ServerOptions.Metrics), true))
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService("takeoff"))
                // No cached scrape (300 ms by default): a scrape right after a request must count it.
                .WithMetrics(metrics => metrics.AddMeter(InferenceEngine.MeterName)
                    .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        return builder;
    }

    /// <summary>/metrics on the inference port, open like the health probes (scrapers send no key).</summary>
    public static WebApplication MapTakeoffMetrics(this WebApplication app)
    {
        if (app.Services.GetService<MeterProvider>() is not null)
            app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
