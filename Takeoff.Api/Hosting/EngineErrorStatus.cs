using Takeoff.Engine.Errors;

namespace Takeoff.Api.Hosting;

/// <summary>The HTTP status and the code of each engine refusal, for every API.</summary>
public static class EngineErrorStatus
{
    /// <summary>Seconds a client should wait before retrying a 503.</summary>
    public const int RetryAfterSeconds = 1;

    /// <summary>What a failure that is not the engine's says to a client: the details are for the operator.</summary>
    public const string UnexpectedFailure = "The server failed to answer; see its log.";

    public static int Of(EngineError error) => error switch
    {
        EngineError.InvalidArgument => StatusCodes.Status400BadRequest,
        EngineError.NotFound => StatusCodes.Status404NotFound,
        EngineError.NotReady or EngineError.Overloaded => StatusCodes.Status503ServiceUnavailable,
        EngineError.Failed => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>A machine-readable name of <paramref name="error"/> (OpenAI's error codes where it has one).</summary>
    public static string Code(EngineError error) => error switch
    {
        EngineError.InvalidArgument => "invalid_argument",
        EngineError.NotFound => "not_found",
        EngineError.NotReady => "not_ready",
        EngineError.Overloaded => "overloaded",
        _ => "engine_failed",
    };

    /// <summary>What a failure says to the client: the engine's message and code, or only that the server failed.</summary>
    public static (string Message, string Code) Describe(Exception? failure) => failure is EngineException engine
        ? (engine.Message, Code(engine.Error))
        : (UnexpectedFailure, "server_error");

    /// <summary>Sets the status, and Retry-After on a 503 (the OpenAI SDKs and Takeoff clients retry on it).</summary>
    public static void Apply(HttpResponse response, int status)
    {
        response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
            response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
