using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Takeoff.Api.OpenAi;
using Takeoff.Engine.Errors;

namespace Takeoff.Api.Hosting.Errors;

/// <summary>
/// The one place where exceptions become error answers: OpenAI's error shape on the /v1 endpoints (for every
/// exception), RFC 9457 problem details for engine refusals and bad requests (a body over the limit) elsewhere. The field at fault is named as the
/// endpoint's API names it.
/// </summary>
public sealed class EngineExceptionHandler(IProblemDetailsService problemDetails, IOptions<JsonOptions> json) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The middleware has cleared the request's endpoint by now; the feature keeps the one that failed.
        var metadata = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata;
        if (metadata?.GetMetadata<OpenAiApiAttribute>() is { } openAi)
        {
            await OpenAiErrors.WriteAsync(httpContext, OpenAiErrors.StatusOf(exception), OpenAiErrors.From(exception, openAi),
                json.Value.JsonSerializerOptions);
            return true;
        }
        if (exception is BadHttpRequestException bad)
            return await WriteAsync(httpContext, exception, new ProblemDetails { Status = bad.StatusCode, Detail = bad.Message });
        if (exception is not EngineException refusal)
            return false;

        var status = EngineErrorStatus.Of(refusal.Error);
        var field = refusal.Input is { } input ? metadata?.GetMetadata<IWireNames>()?.NameOf(input) : null;
        ProblemDetails problem = field is not null && status == StatusCodes.Status400BadRequest
            ? new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [refusal.Message] })
            : new ProblemDetails();
        problem.Status = status;
        problem.Detail = refusal.Message;
        if (field is not null)
            problem.Extensions["field"] = field;

        return await WriteAsync(httpContext, exception, problem);
    }

    private async ValueTask<bool> WriteAsync(HttpContext httpContext, Exception exception, ProblemDetails problem)
    {
        EngineErrorStatus.Apply(httpContext.Response, problem.Status!.Value);
        var written = await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
        if (written)
            return true;
        // The service writes only for clients that accept JSON; an SSE client (Accept: text/event-stream) refused
        // before its stream starts must still learn why, so the details go out as problem+json regardless.
        await httpContext.Response.WriteAsJsonAsync(problem, json.Value.JsonSerializerOptions, "application/problem+json");
        return true;
    }
}
