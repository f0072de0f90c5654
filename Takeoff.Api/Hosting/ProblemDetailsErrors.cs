using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Takeoff.Engine.Errors;

namespace Takeoff.Api.Hosting;

/// <summary>
/// RFC 9457 problem details: the error shape of the Takeoff and management APIs (and of every endpoint without an API).
/// An engine refusal of a named field is a validation problem keyed by that field, as model validation's are.
/// </summary>
public sealed class ProblemDetailsErrors : IErrorWriter
{
    public static ProblemDetailsErrors Instance { get; } = new();

    private ProblemDetailsErrors()
    {
    }

    public async ValueTask<bool> TryWriteAsync(HttpContext context, Exception exception, IWireNames? names)
    {
        if (exception is BadHttpRequestException bad)
            return await WriteAsync(context, exception, new ProblemDetails { Status = bad.StatusCode, Detail = bad.Message });
        if (exception is not EngineException refusal)
            return false;

        var status = EngineErrorStatus.Of(refusal.Error);
        var field = refusal.Input is { } input ? names?.NameOf(input) : null;
        ProblemDetails problem = field is not null && status == StatusCodes.Status400BadRequest
            ? new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [refusal.Message] })
            : new ProblemDetails();
        problem.Status = status;
        problem.Detail = refusal.Message;
        if (field is not null)
            problem.Extensions["field"] = field;
        return await WriteAsync(context, exception, problem);
    }

    public Task WriteUnauthorizedAsync(HttpContext context, string message) =>
        context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status401Unauthorized, Detail = message },
        }).AsTask();

    private static async ValueTask<bool> WriteAsync(HttpContext context, Exception exception, ProblemDetails problem)
    {
        EngineErrorStatus.Apply(context.Response, problem.Status!.Value);
        var written = await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        });
        if (written)
            return true;
        // The service writes only for clients that accept JSON; an SSE client (Accept: text/event-stream) refused
        // before its stream starts must still learn why, so the details go out as problem+json regardless.
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.JsonSerializerOptions;
        await context.Response.WriteAsJsonAsync(problem, json, "application/problem+json");
        return true;
    }
}
