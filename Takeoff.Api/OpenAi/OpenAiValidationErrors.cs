using Microsoft.AspNetCore.Mvc;

namespace Takeoff.Api.OpenAi;

/// <summary>
/// A /v1 request that fails model validation (bad JSON, a value out of range, an unsupported field) is answered in
/// OpenAI's error shape, naming the first field at fault; every other endpoint keeps problem details.
/// </summary>
public static class OpenAiValidationErrors
{
    public static Func<ActionContext, IActionResult> Or(Func<ActionContext, IActionResult> otherwise) => context =>
    {
        if (!context.ActionDescriptor.EndpointMetadata.OfType<OpenAiApiAttribute>().Any())
            return otherwise(context);
        var (key, entry) = context.ModelState.First(e => e.Value?.Errors.Count > 0);
        var param = key.TrimStart('$', '.');
        var message = entry!.Errors[0].ErrorMessage switch
        {
            { Length: 0 } => "The request body is not valid JSON.",
            // System.Text.Json names the CLR type ("System.Nullable`1[System.Single]"), which says nothing to a client.
            var text when text.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) =>
                $"{(param.Length == 0 ? "The body" : param)} has the wrong JSON type.",
            var text => text,
        };
        return new BadRequestObjectResult(new OpenAiErrorResponse(
            new OpenAiError(message, "invalid_request_error", param.Length == 0 ? null : param, null)))
        {
            ContentTypes = { "application/json" },
        };
    };
}
