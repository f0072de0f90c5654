using Takeoff.Api.Management;
using Takeoff.Api.OpenAi;
namespace Takeoff.Api.Hosting;

/// <summary>
/// Keeps the APIs apart: management endpoints answer on the management port only; the OpenAI API (/v1) on the
/// inference port and the OpenAI port; everything else on the inference port only. A request on the wrong port
/// is answered 404, as if the route did not exist there.
/// </summary>
public static class PortScopedEndpoints
{
    public static IApplicationBuilder UsePortScopedEndpoints(this IApplicationBuilder app)
    {
        var listeners = app.ApplicationServices.GetRequiredService<Listeners>();
        return app.Use((context, next) =>
        {
            var metadata = context.GetEndpoint()?.Metadata;
            var allowed = metadata?.GetMetadata<ManagementApiAttribute>() is not null
                ? listeners.OnManagementPort(context)
                : !listeners.OnManagementPort(context)
                  && (!listeners.OnOpenAiPort(context) || metadata?.GetMetadata<OpenAiApiAttribute>() is not null);
            if (allowed)
                return next(context);
            context.SetEndpoint(null);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }
}
