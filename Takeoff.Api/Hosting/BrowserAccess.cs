using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace Takeoff.Api.Hosting;

/// <summary>
/// What a web page in the user's browser may do with this server. By default nothing beyond its own pages: no other
/// origin may call the APIs (CORS), and a request must name this server by a loopback name (Host header), so that a
/// site open in the browser cannot reach it through localhost or by re-pointing its own DNS name at 127.0.0.1. The
/// management API answers only this server's own pages and the origins its own list names: it loads and unloads models.
/// </summary>
public static class BrowserAccess
{
    public const string ManagementPolicy = "management";

    public static IServiceCollection AddBrowserAccess(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<ServerOptions>, Listeners>((cors, server, listeners) =>
        {
            if (Split(server.Value.CorsOrigins) is { Length: > 0 } inference)
                cors.AddDefaultPolicy(policy => policy.WithOrigins(inference).AllowAnyHeader().AllowAnyMethod());
            var named = Split(server.Value.ManagementCorsOrigins).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var ownNames = HostNames(server.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
            cors.AddPolicy(ManagementPolicy, policy => policy
                .SetIsOriginAllowed(origin => named.Contains(origin) || IsOwnPage(origin, ownNames, listeners.InferencePort))
                .AllowAnyHeader().AllowAnyMethod());
        });
        services.AddOptions<HostFilteringOptions>().Configure<IOptions<ServerOptions>>((hosts, server) =>
        {
            hosts.AllowedHosts = [.. HostNames(server.Value)];
            hosts.IncludeFailureMessage = true;
        });
        return services;
    }

    /// <summary>
    /// This server's own pages (chat, playground, Swagger UI) on its inference port list and manage readers. Such an
    /// origin is one of the names the Host filter lets through on that port, so no other site can take it on.
    /// </summary>
    private static bool IsOwnPage(string origin, HashSet<string> ownNames, int inferencePort) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && uri.Port == inferencePort && ownNames.Contains(uri.Host);

    /// <summary>The Host names served: the allowed list, and every address the server was told to bind (a wildcard is not one).</summary>
    private static IEnumerable<string> HostNames(ServerOptions server) => Split(server.AllowedHosts).Concat(
        new[] { server.Host, server.ManagementHost }
            .Select(host => IPAddress.TryParse(host, out var address) ? address : null)
            .Where(address => address is not null && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
            .Select(address => address!.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString()));

    private static string[] Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
