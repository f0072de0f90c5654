using Microsoft.AspNetCore.Authentication;

namespace Takeoff.Api.Hosting.Security;

/// <summary>The keys one API accepts; none means that API is open.</summary>
public sealed class ApiKeyOptions : AuthenticationSchemeOptions
{
    /// <summary>SHA-256 of each accepted key: compared in constant time, and never kept or logged in clear.</summary>
    public IReadOnlyList<byte[]> KeyHashes { get; set; } = [];

    /// <summary>What the 401 says where the client goes to get a key.</summary>
    public string Realm { get; set; } = "takeoff";
}
