using Microsoft.AspNetCore.Authorization;

namespace Takeoff.Api.Hosting;

/// <summary>
/// What marks an endpoint as part of one API: the listeners that serve it (<see cref="PortScopedEndpoints"/>), the keys
/// it takes (an authorization policy) and how its errors are written (<see cref="Errors"/>). Each API derives its own
/// marker; the names of its fields come from its request contracts (<see cref="IWireNames"/>), not from here.
/// </summary>
/// <param name="servedOn">The listeners that answer it; on any other it is 404, as if the route did not exist there.</param>
/// <param name="policy">The authorization policy whose keys it takes.</param>
[AttributeUsage(AttributeTargets.Class)]
public abstract class ApiAttribute(ServedOn servedOn, string policy) : Attribute, IAuthorizeData
{
    public ServedOn ServedOn { get; } = servedOn;

    public string? Policy { get; set; } = policy;

    public string? Roles { get; set; }

    public string? AuthenticationSchemes { get; set; }

    /// <summary>How this API answers an error: problem details, or its own shape.</summary>
    public abstract IErrorWriter Errors { get; }
}
