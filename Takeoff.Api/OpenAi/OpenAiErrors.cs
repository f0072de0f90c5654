using System.Text.Json;
using Takeoff.Api.Hosting.Errors;
using Takeoff.Engine.Errors;

namespace Takeoff.Api.OpenAi;

/// <summary>Errors of the /v1 endpoints in OpenAI's shape, whatever caused them.</summary>
public static class OpenAiErrors
{
    public static OpenAiError From(Exception exception, IWireNames names) => exception switch
    {
        EngineException { ContextOverflow: { } overflow } refusal =>
            new OpenAiError($"This model's maximum context length is {overflow.ContextSize} tokens. However, your " +
                $"{names.NameOf(EngineInput.Prompt)} resulted in {overflow.PromptTokens} tokens. Please reduce the length of the " +
                $"{names.NameOf(EngineInput.Prompt)}.", "invalid_request_error", refusal.Input is { } at ? names.NameOf(at) : null,
                "context_length_exceeded"),
        EngineException { Error: EngineError.NotFound, Input: EngineInput.Target } refusal =>
            new OpenAiError(refusal.Message, "invalid_request_error", "model", "model_not_found"),
        EngineException refusal when EngineErrorStatus.Of(refusal.Error) < 500 =>
            new OpenAiError(refusal.Message, "invalid_request_error", refusal.Input is { } input ? names.NameOf(input) : null, null),
        BadHttpRequestException bad => new OpenAiError(bad.Message, "invalid_request_error", null, null),
        EngineException refusal => new OpenAiError(refusal.Message, "server_error", null, refusal.Error switch
        {
            EngineError.Overloaded => "overloaded",
            EngineError.NotReady => "not_ready",
            _ => "engine_failed",
        }),
        _ => new OpenAiError("The server failed to answer; see its log.", "server_error", null, null),
    };

    public static int StatusOf(Exception exception) => exception switch
    {
        EngineException refusal => EngineErrorStatus.Of(refusal.Error),
        BadHttpRequestException bad => bad.StatusCode,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static Task WriteAsync(HttpContext context, int status, OpenAiError error, JsonSerializerOptions json)
    {
        EngineErrorStatus.Apply(context.Response, status);
        return context.Response.WriteAsJsonAsync(new OpenAiErrorResponse(error), json);
    }
}
