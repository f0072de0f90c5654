using Microsoft.AspNetCore.Diagnostics;

namespace Takeoff.Api.Hosting;

/// <summary>
/// The one place where exceptions become error answers: in the shape of the endpoint's API (<see cref="ApiAttribute.Errors"/>;
/// problem details where it has none), naming the field at fault as the request that was read names it.
/// </summary>
public sealed class EngineExceptionHandler : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The middleware has cleared the request's endpoint by now; the feature keeps the one that failed.
        var api = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<ApiAttribute>();
        return (api?.Errors ?? ProblemDetailsErrors.Instance).TryWriteAsync(httpContext, exception, WireNames.Of(httpContext));
    }
}
