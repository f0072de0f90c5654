using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace Takeoff.Api.Hosting;

/// <summary>
/// What a web page in the user's browser may do with this server. By default nothing beyond its own pages: no other
/// origin may call the APIs (CORS), and a request must name this server by a loopback name (Host header), so that a
/// site open in the browser cannot reach it through localhost or by re-pointing its own DNS name at 127.0.0.1. The
/// management API has its own origin list: it loads and unloads models.
/// </summary>
public static class BrowserAccess
{
    public const string ManagementPolicy = "management";

    public static IServiceCollection AddBrowserAccess(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<ServerOptions>>((cors, server) =>
        {
            if (Split(server.Value.CorsOrigins) is { Length: > 0 } inference)
                cors.AddDefaultPolicy(policy => policy.WithOrigins(inference).AllowAnyHeader().AllowAnyMethod());
            // An empty policy allows no origin: CORS then adds no header, and the browser blocks the call.
            cors.AddPolicy(ManagementPolicy, policy => policy.WithOrigins(Split(server.Value.ManagementCorsOrigins))
                .AllowAnyHeader().AllowAnyMethod());
        });
        services.AddOptions<HostFilteringOptions>().Configure<IOptions<ServerOptions>>((hosts, server) =>
        {
            hosts.AllowedHosts = [.. Split(server.Value.AllowedHosts), .. BoundAddresses(server.Value)];
            hosts.IncludeFailureMessage = true;
        });
        return services;
    }

    /// <summary>An address the server was told to bind is a name its clients use (a wildcard is not).</summary>
    private static IEnumerable<string> BoundAddresses(ServerOptions server) =>
        new[] { server.Host, server.ManagementHost }
            .Select(host => IPAddress.TryParse(host, out var address) ? address : null)
            .Where(address => address is not null && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
            .Select(address => address!.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString());

    private static string[] Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
