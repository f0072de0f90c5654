using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;
using Microsoft.Extensions.Options;
using Takeoff.Api.Hosting;
using Takeoff.Api.Hosting.Security;
using Takeoff.Api.Management;
using Takeoff.Api.OpenAi;
using Takeoff.Api.Takeoff;
using Takeoff.Engine.Hosting;

namespace Takeoff.Api;

/// <summary>The HTTP side of the server: its listeners, the three APIs, their documents, errors and keys.</summary>
public static class TakeoffApiExtensions
{
    /// <summary>Registers the listeners and the APIs (the engine is registered beside them, by AddTakeoffEngine).</summary>
    public static WebApplicationBuilder AddTakeoffApi(this WebApplicationBuilder builder, IConfiguration takeoff)
    {
        builder.Services.AddOptions<ServerOptions>().Bind(takeoff).ValidateDataAnnotations().ValidateOnStart();
        builder.AddListeners();
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
                // Engine refusals name fields as the request contract that was read names them.
                mvc.Filters.Add<WireNames>();
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
        // Each by name: the XML comment generator adds the summaries only to AddOpenApi(name, configure) calls.
        builder.Services.AddOpenApi(TakeoffDocument.Name, TakeoffDocument.Configure);
        builder.Services.AddOpenApi(OpenAiDocument.Name, OpenAiDocument.Configure);
        builder.Services.AddOpenApi(ManagementDocument.Name, ManagementDocument.Configure);
        builder.Services.AddBrowserAccess();
        builder.Services.AddTakeoffApiKeys(takeoff);
        return builder;
    }

    /// <summary>The request pipeline, then the endpoints: the APIs, their documents and Swagger UI, health and metrics.</summary>
    public static WebApplication UseTakeoffApi(this WebApplication app)
    {
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
            ui.SwaggerEndpoint($"/openapi/{OpenAiDocument.Name}.json", "OpenAI-compatible API (/v1)");
            ui.SwaggerEndpoint($"/openapi/{ManagementDocument.Name}.json", "Takeoff management API");
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

    /// <summary>Kestrel's listeners: inference, management and (unless turned off) OpenAI, as ServerOptions says.</summary>
    private static void AddListeners(this WebApplicationBuilder builder)
    {
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
    }

    /// <summary>Takeoff's JSON: snake_case names, numbers only as JSON numbers, each key once.</summary>
    internal static void ConfigureWireJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.NumberHandling = JsonNumberHandling.Strict;
        // {"temperature": 0, "temperature": 2} is ambiguous (proxies and validators may read the other one): refused.
        json.AllowDuplicateProperties = false;
    }
}
