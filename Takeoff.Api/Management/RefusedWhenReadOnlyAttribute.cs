using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.Options;
using Takeoff.Api.Hosting;

namespace Takeoff.Api.Management;

/// <summary>
/// Marks a management action that changes the readers. With <see cref="ServerOptions.ManagementReadOnly"/> on (a
/// cluster, where every replica must serve the same models.json) it is answered 403 with a problem-details reason,
/// before the body is read: a replica that drifted from its pool would serve what the others do not.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RefusedWhenReadOnlyAttribute : Attribute, IResourceFilter
{
    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        var services = context.HttpContext.RequestServices;
        if (!services.GetRequiredService<IOptions<ServerOptions>>().Value.ManagementReadOnly)
            return;
        var problem = services.GetRequiredService<ProblemDetailsFactory>().CreateProblemDetails(context.HttpContext,
            StatusCodes.Status403Forbidden, title: "The management API is read-only",
            detail: "This server runs with --management-read-only (TAKEOFF_MANAGEMENT_READ_ONLY): its readers come only " +
                    "from models.json. Change models.json and restart (roll out) the server instead.");
        context.Result = new ObjectResult(problem) { StatusCode = problem.Status, ContentTypes = { "application/problem+json" } };
    }

    public void OnResourceExecuted(ResourceExecutedContext context)
    {
    }
}
