using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Takeoff.Api.Hosting;
using Takeoff.Api.Wire;

namespace Takeoff.Api.OpenAi;

/// <summary>
/// Server-sent events as OpenAI streams them: each chunk one <c>data:</c> JSON event, then <c>data: [DONE]</c>.
/// A failure after the stream started (the status line is gone) becomes a last <c>data: {"error": ...}</c>
/// event, and the stream ends without [DONE] so that clients see it did not complete.
/// </summary>
public sealed partial class OpenAiServerSentEventsResult<T>(IAsyncEnumerable<T> chunks) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext;
        var logger = http.RequestServices.GetRequiredService<ILogger<OpenAiServerSentEventsResult<T>>>();
        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.JsonSerializerOptions;
        return TypedResults.ServerSentEvents(Events(WireNames.Of(http), json, logger, http.RequestAborted)).ExecuteAsync(http);
    }

    private async IAsyncEnumerable<SseItem<string>> Events(IWireNames? names, JsonSerializerOptions json, ILogger logger,
        [EnumeratorCancellation] CancellationToken aborted)
    {
        await foreach (var (chunk, failure) in Guarded.Enumerate(chunks, aborted))
        {
            if (failure is not null)
            {
                LogStreamFailed(logger, failure);
                yield return new SseItem<string>(JsonSerializer.Serialize(new OpenAiErrorResponse(OpenAiErrors.From(failure, names)), json));
                yield break;
            }
            yield return new SseItem<string>(JsonSerializer.Serialize(chunk, json));
        }
        yield return new SseItem<string>("[DONE]");
    }

    [LoggerMessage(EventId = 502, Level = LogLevel.Error, Message = "Generation failed mid-stream; sent an error event")]
    private static partial void LogStreamFailed(ILogger logger, Exception error);
}
