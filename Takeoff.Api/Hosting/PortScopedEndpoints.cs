namespace Takeoff.Api.Hosting;

/// <summary>
/// Keeps the two APIs apart: management endpoints answer on the management port only, everything else on the
/// inference port only. A request on the wrong port is answered 404, as if the route did not exist there.
/// </summary>
public static class PortScopedEndpoints
{
    public static IApplicationBuilder UsePortScopedEndpoints(this IApplicationBuilder app)
    {
        var listeners = app.ApplicationServices.GetRequiredService<Listeners>();
        return app.Use((context, next) =>
        {
            var isManagementEndpoint = context.GetEndpoint()?.Metadata.GetMetadata<ManagementApiAttribute>() is not null;
            if (isManagementEndpoint == listeners.OnManagementPort(context))
                return next(context);
            context.SetEndpoint(null);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }
}
