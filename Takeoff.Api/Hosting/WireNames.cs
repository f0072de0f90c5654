using Microsoft.AspNetCore.Mvc.Filters;

namespace Takeoff.Api.Hosting;

/// <summary>
/// Hands the request contract MVC bound (an <see cref="IWireNames"/>) to the error path before the action runs: the
/// exception handler and the stream writers find it on the request. A filter rather than a line in every action, so
/// that no action can forget it.
/// </summary>
public sealed class WireNames : IActionFilter
{
    /// <summary>The names of the request contract the endpoint read; null when it read none (or failed before).</summary>
    public static IWireNames? Of(HttpContext context) => context.Features.Get<IWireNames>();

    public void OnActionExecuting(ActionExecutingContext context)
    {
        if (context.ActionArguments.Values.OfType<IWireNames>().FirstOrDefault() is { } names)
            context.HttpContext.Features.Set(names);
    }

    public void OnActionExecuted(ActionExecutedContext context)
    {
    }
}
