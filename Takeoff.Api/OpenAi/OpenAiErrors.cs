using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Takeoff.Api.Hosting;
using Takeoff.Engine.Errors;

namespace Takeoff.Api.OpenAi;

/// <summary>The /v1 endpoints' errors in OpenAI's shape, whatever caused them, naming the field as the request did.</summary>
public sealed class OpenAiErrors : IErrorWriter
{
    public static OpenAiErrors Instance { get; } = new();

    private OpenAiErrors()
    {
    }

    /// <param name="names">The request's names; null before a request was read (then only the prompt is named, generically).</param>
    public static OpenAiError From(Exception exception, IWireNames? names)
    {
        string? Name(EngineInput? input) => input is { } known ? names?.NameOf(known) : null;
        return exception switch
        {
            EngineException { ContextOverflow: { } overflow } refusal =>
                new OpenAiError($"This model's maximum context length is {overflow.ContextSize} tokens. However, your " +
                    $"{Name(EngineInput.Prompt) ?? "prompt"} resulted in {overflow.PromptTokens} tokens. Please reduce the length of the " +
                    $"{Name(EngineInput.Prompt) ?? "prompt"}.", "invalid_request_error", Name(refusal.Input), "context_length_exceeded"),
            EngineException { Error: EngineError.NotFound, Input: EngineInput.Target } refusal =>
                new OpenAiError(refusal.Message, "invalid_request_error", Name(EngineInput.Target) ?? "model", "model_not_found"),
            EngineException refusal when EngineErrorStatus.Of(refusal.Error) < 500 =>
                new OpenAiError(refusal.Message, "invalid_request_error", Name(refusal.Input), null),
            BadHttpRequestException bad => new OpenAiError(bad.Message, "invalid_request_error", null, null),
            EngineException refusal => new OpenAiError(refusal.Message, "server_error", null, EngineErrorStatus.Code(refusal.Error)),
            _ => new OpenAiError(EngineErrorStatus.UnexpectedFailure, "server_error", null, null),
        };
    }

    public async ValueTask<bool> TryWriteAsync(HttpContext context, Exception exception, IWireNames? names)
    {
        var status = exception switch
        {
            EngineException refusal => EngineErrorStatus.Of(refusal.Error),
            BadHttpRequestException bad => bad.StatusCode,
            _ => StatusCodes.Status500InternalServerError,
        };
        EngineErrorStatus.Apply(context.Response, status);
        await WriteAsync(context, From(exception, names));
        return true;
    }

    public Task WriteUnauthorizedAsync(HttpContext context, string message) =>
        WriteAsync(context, new OpenAiError(message, "invalid_request_error", null, "invalid_api_key"));

    private static Task WriteAsync(HttpContext context, OpenAiError error) => context.Response.WriteAsJsonAsync(
        new OpenAiErrorResponse(error), context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.JsonSerializerOptions);
}
