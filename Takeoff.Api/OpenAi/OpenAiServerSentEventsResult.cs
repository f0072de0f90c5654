using System.Net.ServerSentEvents;
using System.Text.Json;
using Takeoff.Api.Hosting;
using Takeoff.Api.Wire;

namespace Takeoff.Api.OpenAi;

/// <summary>
/// Server-sent events as OpenAI streams them: each chunk one <c>data:</c> JSON event, then <c>data: [DONE]</c>.
/// A failure after the stream started (the status line is gone) becomes a last <c>data: {"error": ...}</c>
/// event, and the stream ends without [DONE] so that clients see it did not complete.
/// </summary>
public sealed partial class OpenAiServerSentEventsResult<T>(IAsyncEnumerable<T> chunks) : EventStreamResult<T>(chunks)
{
    protected override IEnumerable<SseItem<string>> EventsOf(T chunk) => [new(JsonSerializer.Serialize(chunk, Json))];

    protected override IEnumerable<SseItem<string>> LastEvents(HttpContext http, Exception? failure) => failure is null
        ? [new("[DONE]")]
        : [new(JsonSerializer.Serialize(new OpenAiErrorResponse(OpenAiErrors.From(failure, WireNames.Of(http))), Json))];

    protected override void LogFailure(ILogger logger, Exception failure) => LogStreamFailed(logger, failure);

    [LoggerMessage(EventId = 502, Level = LogLevel.Error, Message = "Generation failed mid-stream; sent an error event")]
    private static partial void LogStreamFailed(ILogger logger, Exception error);
}
