using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;
using Microsoft.Extensions.Options;
using Takeoff.Api.Hosting;
using Takeoff.Api.Hosting.Errors;
using Takeoff.Api.Hosting.OpenApi;
using Takeoff.Api.Hosting.Security;
using Takeoff.Api.OpenAi;
using Takeoff.Engine;
using Takeoff.Engine.Hosting;

namespace Takeoff.Api;

/// <summary>The server's composition: what Program runs, and what the tests start on a free port.</summary>
public static class TakeoffApp
{
    /// <param name="services">Registrations applied last, so they replace the defaults (tests use it for fault seams).</param>
    public static WebApplication Create(string[] args, Action<IServiceCollection>? services = null)
    {
        ReserveThreadPoolHeadroom();
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddTakeoffSources(args);
        var takeoff = builder.Configuration.GetSection(EngineOptions.Section);

        builder.Services.AddOptions<ServerOptions>().Bind(takeoff).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Listeners>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var server = kestrel.ApplicationServices.GetRequiredService<IOptions<ServerOptions>>().Value;
            var listeners = kestrel.ApplicationServices.GetRequiredService<Listeners>();
            kestrel.Limits.MaxRequestBodySize = server.MaxRequestBodyBytes;
            kestrel.Listen(IPAddress.Parse(server.Host), server.Port, listeners.AttachInference);
            kestrel.Listen(IPAddress.Parse(server.ManagementHost), server.EffectiveManagementPort, listeners.AttachManagement);
            if (server.OpenAiPort != 0)
                kestrel.Listen(IPAddress.Parse(server.Host), server.OpenAiPort, listeners.AttachOpenAi);
        });

        builder.Services.AddTakeoffEngine(takeoff);
        builder.AddTakeoffObservability(takeoff);
        // The host must wait for the readers' drain: the grace, then a decode step and the freeing of native memory.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<EngineOptions>>((host, engine) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(engine.Value.ShutdownGraceSeconds + 15));
        builder.Services
            .AddControllers(mvc =>
            {
                // Validation errors name fields as they are on the wire (snake_case).
                mvc.ModelMetadataDetailsProviders.Add(new SystemTextJsonValidationMetadataProvider(JsonNamingPolicy.SnakeCaseLower));
                mvc.ModelMetadataDetailsProviders.Add(new SnakeCaseDisplayNameProvider());
                // A body that fails to parse already reports the JSON path at fault; no extra "request is required".
                mvc.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
            })
            // Explicit, so the controllers are found when the app is hosted by another process (tests, benchmark).
            .AddApplicationPart(typeof(TakeoffApp).Assembly)
            .AddJsonOptions(json => ConfigureWireJson(json.JsonSerializerOptions))
            .ConfigureApiBehaviorOptions(api => api.InvalidModelStateResponseFactory =
                OpenAiValidationErrors.Or(api.InvalidModelStateResponseFactory));
        // The OpenAPI generator reads these (minimal-API) options: the same wire format, or the document lies.
        builder.Services.ConfigureHttpJsonOptions(json => ConfigureWireJson(json.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<EngineExceptionHandler>();
        builder.Services.AddHealthChecks().AddCheck<ModelReadyHealthCheck>("readers", tags: [ModelReadyHealthCheck.Tag]);
        builder.Services.AddTakeoffOpenApi();
        builder.Services.AddBrowserAccess();
        builder.Services.AddTakeoffApiKeys(takeoff);

        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseHostFiltering();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseCors();
        app.UsePortScopedEndpoints();
        app.UseWebPages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/openapi.json");
        app.MapOpenApi("/openapi/{documentName}.json");
        // FastAPI's paths: scripts written for the old Takeoff server probe /docs for readiness.
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "docs";
            ui.SwaggerEndpoint("/openapi.json", "Takeoff inference API");
            ui.SwaggerEndpoint($"/openapi/{TakeoffOpenApi.OpenAiDocument}.json", "OpenAI-compatible API (/v1)");
            ui.SwaggerEndpoint($"/openapi/{TakeoffOpenApi.ManagementDocument}.json", "Takeoff management API");
            ui.DocumentTitle = "Takeoff for .NET";
        });
        // Kubernetes' probes: live while the process answers, ready while it should get traffic (/health is readiness).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ModelReadyHealthCheck.Tag) });
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ModelReadyHealthCheck.Tag) });
        app.MapTakeoffMetrics();
        app.MapControllers();
        return app;
    }

    /// <summary>
    /// Each reader's scheduler loop keeps a pool thread busy decoding step after step. On a small machine that leaves
    /// Kestrel's writes queued behind it until the pool's hill climbing adds threads, which takes up to seconds: a
    /// stream then reaches its client as one late burst. A few threads beyond the cores keep the writers running.
    /// </summary>
    private static void ReserveThreadPoolHeadroom()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount + 8), io);
    }

    /// <summary>Where the started app serves the inference API (useful when it was asked for port 0).</summary>
    public static Uri InferenceUrl(this WebApplication app) =>
        app.Urls.Select(url => new Uri(url)).Single(url => url.Port == app.Services.GetRequiredService<Listeners>().InferencePort);

    /// <summary>Where the started app serves the management API.</summary>
    public static Uri ManagementUrl(this WebApplication app) =>
        app.Urls.Select(url => new Uri(url)).Single(url => url.Port == app.Services.GetRequiredService<Listeners>().ManagementPort);

    /// <summary>Takeoff's JSON: snake_case names, numbers only as JSON numbers, each key once.</summary>
    private static void ConfigureWireJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.NumberHandling = JsonNumberHandling.Strict;
        // {"temperature": 0, "temperature": 2} is ambiguous (proxies and validators may read the other one): refused.
        json.AllowDuplicateProperties = false;
    }
}
