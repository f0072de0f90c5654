using Microsoft.AspNetCore.Cors.Infrastructure;

namespace Takeoff.Api.Hosting;

/// <summary>
/// Swagger UI is served from the inference port, and its "Try it out" calls the management port: a cross-origin
/// request. Only pages of this server's own inference port may make it; any other web page stays locked out,
/// so a site open in the user's browser cannot load or unload models through localhost.
/// </summary>
public static class SwaggerUiCors
{
    public const string Policy = "swagger-ui";

    /// <param name="browserOrigins">Origins whose pages may call the inference API and /v1 (the default policy); none by default.</param>
    public static IServiceCollection AddSwaggerUiCors(this IServiceCollection services, string? browserOrigins)
    {
        var origins = (browserOrigins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        services.AddCors(cors =>
        {
            if (origins.Length > 0)
                cors.AddDefaultPolicy(policy => policy.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod());
        });
        services.AddOptions<CorsOptions>().Configure<Listeners>((cors, listeners) => cors.AddPolicy(Policy, policy => policy
            .SetIsOriginAllowed(origin => Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Port == listeners.InferencePort)
            .AllowAnyHeader()
            .AllowAnyMethod()));
        return services;
    }
}
