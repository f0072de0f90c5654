using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Takeoff.Api.Hosting;
using Takeoff.Api.Hosting.OpenApi;

namespace Takeoff.Api.Management;

/// <summary>
/// The management API's OpenAPI document (<c>/openapi/management.json</c>), whose server entry points Swagger UI's "Try it
/// out" at the management port.
/// </summary>
public static class ManagementDocument
{
    public const string Name = "management";

    public static void Configure(OpenApiOptions openApi) => openApi
        .OnlyGroup(Name)
        .Describe("Takeoff for .NET: management API",
            "Readers and consumer groups, changed while the server runs. Served on the management port (inference port + 1, " +
            "loopback by default).",
            services => [new OpenApiServer { Url = ManagementUrl(services), Description = "Management port" }]);

    private static string ManagementUrl(IServiceProvider services)
    {
        var server = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var host = server.ManagementHost switch
        {
            "0.0.0.0" or "::" => "localhost",
            var address when address.Contains(':') => $"[{address}]",
            var address => address,
        };
        return $"http://{host}:{services.GetRequiredService<Listeners>().ManagementPort}";
    }
}
