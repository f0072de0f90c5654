using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authorization;

namespace Takeoff.Api.Hosting.Security;

/// <summary>
/// API keys through ASP.NET Core authentication: one scheme for the inference API (Takeoff and /v1), one for the
/// management API, each with its own keys. An API without keys is open. Health probes, /metrics, the docs and the
/// pages stay open: they carry no policy.
/// </summary>
public static class ApiKeys
{
    /// <summary>The policy of the inference port's APIs (Takeoff and /v1).</summary>
    public const string Inference = "inference";

    /// <summary>The policy of the management API.</summary>
    public const string Management = "management";

    public static IServiceCollection AddTakeoffApiKeys(this IServiceCollection services, IConfiguration takeoff)
    {
        var server = takeoff.Get<ServerOptions>() ?? new ServerOptions();
        var inference = server.InferenceKeys();
        var management = string.IsNullOrEmpty(server.ManagementApiKey) ? [] : new[] { server.ManagementApiKey };
        services.AddAuthentication()
            .AddScheme<ApiKeyOptions, ApiKeyHandler>(Inference, options => options.KeyHashes = Hashes(inference))
            .AddScheme<ApiKeyOptions, ApiKeyHandler>(Management, options => options.KeyHashes = Hashes(management));
        services.AddAuthorizationBuilder()
            .AddPolicy(Inference, policy => Require(policy, Inference, inference.Count > 0))
            .AddPolicy(Management, policy => Require(policy, Management, management.Length > 0));
        return services;
    }

    private static void Require(AuthorizationPolicyBuilder policy, string scheme, bool keyed)
    {
        if (keyed)
            policy.AddAuthenticationSchemes(scheme).RequireAuthenticatedUser();
        else
            policy.RequireAssertion(_ => true);
    }

    private static byte[][] Hashes(IEnumerable<string> keys) => keys.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToArray();
}
