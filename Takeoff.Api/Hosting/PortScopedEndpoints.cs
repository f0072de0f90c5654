namespace Takeoff.Api.Hosting;

/// <summary>
/// Keeps the APIs apart: an endpoint answers only on the listeners its <see cref="ApiAttribute"/> names (management on
/// the management port, /v1 on the inference and OpenAI ports, Takeoff's on the inference port); everything without one
/// (pages, docs, health, metrics) on the inference port only. A request on the wrong port is answered 404, as if the
/// route did not exist there.
/// </summary>
public static class PortScopedEndpoints
{
    public static IApplicationBuilder UsePortScopedEndpoints(this IApplicationBuilder app)
    {
        var listeners = app.ApplicationServices.GetRequiredService<Listeners>();
        return app.Use((context, next) =>
        {
            var servedOn = context.GetEndpoint()?.Metadata.GetMetadata<ApiAttribute>()?.ServedOn ?? ServedOn.InferencePort;
            var arrivedOn = listeners.OnManagementPort(context) ? ServedOn.ManagementPort
                : listeners.OnOpenAiPort(context) ? ServedOn.OpenAiPort
                : ServedOn.InferencePort;
            if (servedOn.HasFlag(arrivedOn))
                return next(context);
            context.SetEndpoint(null);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }
}
