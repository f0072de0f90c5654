using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Takeoff.Engine.Generation;

namespace Takeoff.Api.Errors;

/// <summary>The one place where engine refusals become RFC 9457 problem details with their HTTP status.</summary>
public sealed class EngineExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    /// <summary>Seconds a client should wait before retrying a 503.</summary>
    private const int RetryAfterSeconds = 1;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not EngineException refusal)
            return false;

        var status = refusal.Error switch
        {
            EngineError.InvalidArgument => StatusCodes.Status400BadRequest,
            EngineError.NotFound => StatusCodes.Status404NotFound,
            EngineError.NotReady or EngineError.Overloaded => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        };
        ProblemDetails problem = refusal.Field is { } field && status == StatusCodes.Status400BadRequest
            ? new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [refusal.Message] })
            : new ProblemDetails();
        problem.Status = status;
        problem.Detail = refusal.Message;
        if (refusal.Field is not null)
            problem.Extensions["field"] = refusal.Field;
        if (status == StatusCodes.Status503ServiceUnavailable)
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }
}
