using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Takeoff.Api.Hosting.Security;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>, as the OpenAI SDKs send it, checked against the configured keys. A refusal is
/// a 401 with <c>WWW-Authenticate: Bearer</c>, in the error shape of the API the request was for.
/// </summary>
public sealed class ApiKeyHandler(IOptionsMonitor<ApiKeyOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<ApiKeyOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.NoResult());
        if (!Accepts(header["Bearer ".Length..].Trim()))
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-key")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    /// <summary>Every key is compared, each in constant time, so that timing says nothing about which one came close.</summary>
    private bool Accepts(string key)
    {
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var accepted = false;
        foreach (var hash in Options.KeyHashes)
            accepted |= CryptographicOperations.FixedTimeEquals(given, hash);
        return accepted;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"Bearer realm=\"{Options.Realm}\"";
        var errors = Context.GetEndpoint()?.Metadata.GetMetadata<ApiAttribute>()?.Errors ?? ProblemDetailsErrors.Instance;
        return errors.WriteUnauthorizedAsync(Context, "A valid API key is required: send it as \"Authorization: Bearer <key>\".");
    }
}
