namespace Takeoff.Api.Hosting;

/// <summary>
/// How one API writes its error answers (its <see cref="ApiAttribute"/> names it): the one exception handler and the
/// API-key check write through it, so that every error of an endpoint has its API's shape.
/// </summary>
public interface IErrorWriter
{
    /// <summary>Answers an exception that ended a request before its answer started; false leaves it to the platform.</summary>
    /// <param name="names">The field names of the request contract that was read (<see cref="WireNames"/>); null when none was.</param>
    ValueTask<bool> TryWriteAsync(HttpContext context, Exception exception, IWireNames? names);

    /// <summary>Answers a request without a valid API key (the status, 401, and its header are set already).</summary>
    Task WriteUnauthorizedAsync(HttpContext context, string message);
}
