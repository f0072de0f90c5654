using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Takeoff.Api.Wire;

/// <summary>
/// A stream of server-sent events (the platform's formatter: a piece holding newlines spans several data lines). Each
/// item becomes its events as it comes; a failure after the status line went out does not escape: it is logged and the
/// stream ends with events that say so. Each API says how its items, its end and its failures look.
/// </summary>
public abstract class EventStreamResult<T>(IAsyncEnumerable<T> items) : IActionResult
{
    /// <summary>The wire's JSON options, for items written as JSON.</summary>
    protected JsonSerializerOptions Json { get; private set; } = JsonSerializerOptions.Default;

    public Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext;
        Json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.JsonSerializerOptions;
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(GetType());
        return TypedResults.ServerSentEvents(Events(http, logger)).ExecuteAsync(http);
    }

    private async IAsyncEnumerable<SseItem<string>> Events(HttpContext http, ILogger logger)
    {
        Exception? failed = null;
        await foreach (var (item, failure) in Guarded.Enumerate(items, http.RequestAborted))
        {
            if (failure is not null)
            {
                LogFailure(logger, failure);
                failed = failure;
                break;
            }
            foreach (var sse in EventsOf(item))
                yield return sse;
        }
        foreach (var sse in LastEvents(http, failed))
            yield return sse;
    }

    /// <summary>The events one item is written as.</summary>
    protected abstract IEnumerable<SseItem<string>> EventsOf(T item);

    /// <summary>The last events: after every item, or in place of the rest when <paramref name="failure"/> ended the stream.</summary>
    protected abstract IEnumerable<SseItem<string>> LastEvents(HttpContext http, Exception? failure);

    /// <summary>Logs a failure mid-stream (each API under its own event id).</summary>
    protected abstract void LogFailure(ILogger logger, Exception failure);
}
