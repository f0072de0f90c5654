using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Takeoff.Api.Hosting;
using Takeoff.Api.Wire;
using Takeoff.Engine.Generation;

namespace Takeoff.Api.Takeoff;

/// <summary>
/// Each piece of text as an SSE <c>data:</c> event (the platform's formatter splits a piece holding newlines
/// across several data lines); optionally a final <c>metadata</c> event. A failure after the stream started
/// becomes a final <c>error</c> event saying what failed, since the status code is already gone:
/// <c>generation failed: {the engine's message} (code: {its code})</c>.
/// </summary>
public sealed partial class ServerSentEventsResult(IAsyncEnumerable<GenerationChunk> chunks, bool withMetadata) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext;
        var logger = http.RequestServices.GetRequiredService<ILogger<ServerSentEventsResult>>();
        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.JsonSerializerOptions;
        return TypedResults.ServerSentEvents(Events(json, logger, http.RequestAborted)).ExecuteAsync(http);
    }

    private async IAsyncEnumerable<SseItem<string>> Events(JsonSerializerOptions json, ILogger logger,
        [EnumeratorCancellation] CancellationToken aborted)
    {
        var summarized = false;
        Exception? failed = null;
        await foreach (var (chunk, failure) in Guarded.Enumerate(chunks, aborted))
        {
            if (failure is not null)
            {
                LogStreamFailed(logger, failure);
                failed = failure;
                break;
            }
            summarized |= chunk.Summary is not null;
            if (chunk.Text.Length > 0)
                yield return new SseItem<string>(chunk.Text);
            if (chunk.Summary is { } summary && withMetadata)
                yield return new SseItem<string>(JsonSerializer.Serialize(GenerationMetadata.From(summary), json), "metadata");
        }
        // A stream that ends without its summary ended in failure. The engine's failures are written for the client (a
        // constraint over its budget, a step llama.cpp could not decode); anything else says only that the server failed.
        if (!summarized)
        {
            var (message, code) = EngineErrorStatus.Describe(failed);
            yield return new SseItem<string>($"generation failed: {message} (code: {code})", "error");
        }
    }

    [LoggerMessage(EventId = 501, Level = LogLevel.Error, Message = "Generation failed mid-stream; sent an error event")]
    private static partial void LogStreamFailed(ILogger logger, Exception error);
}
