using Takeoff.Engine.Errors;

namespace Takeoff.Api.Hosting.Errors;

/// <summary>The HTTP status of each engine refusal, for every API.</summary>
public static class EngineErrorStatus
{
    /// <summary>Seconds a client should wait before retrying a 503.</summary>
    public const int RetryAfterSeconds = 1;

    public static int Of(EngineError error) => error switch
    {
        EngineError.InvalidArgument => StatusCodes.Status400BadRequest,
        EngineError.NotFound => StatusCodes.Status404NotFound,
        EngineError.NotReady or EngineError.Overloaded => StatusCodes.Status503ServiceUnavailable,
        EngineError.Failed => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Sets the status, and Retry-After on a 503 (the OpenAI SDKs and Takeoff clients retry on it).</summary>
    public static void Apply(HttpResponse response, int status)
    {
        response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
            response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
