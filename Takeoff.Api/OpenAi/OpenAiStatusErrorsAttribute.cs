using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.WebUtilities;

namespace Takeoff.Api.OpenAi;

/// <summary>
/// Bare error statuses that MVC produces on its own (415 for a body that is not JSON) get OpenAI's error body on
/// /v1 too (so /v1 actions carry no [Consumes]: routing would answer 415 before any filter runs). An always-run filter, because those results come from filters that short-circuit the action; ordered
/// before [ApiController]'s own, which would turn them into problem details.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OpenAiStatusErrorsAttribute : Attribute, IAlwaysRunResultFilter, IOrderedFilter
{
    public int Order => -3000;

    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is not StatusCodeResult { StatusCode: >= 400 } bare)
            return;
        var message = bare.StatusCode == StatusCodes.Status415UnsupportedMediaType
            ? "Send the body as JSON, with Content-Type: application/json."
            : ReasonPhrases.GetReasonPhrase(bare.StatusCode);
        context.Result = new ObjectResult(new OpenAiErrorResponse(new OpenAiError(message, "invalid_request_error", null, null)))
        {
            StatusCode = bare.StatusCode,
            ContentTypes = { "application/json" },
        };
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
