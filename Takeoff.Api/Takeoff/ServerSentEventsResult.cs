using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Takeoff.Api.Wire;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Generation;

namespace Takeoff.Api.Takeoff;

/// <summary>
/// Each piece of text as an SSE <c>data:</c> event (the platform's formatter splits a piece holding newlines
/// across several data lines); optionally a final <c>metadata</c> event. A failure after the stream started
/// becomes a final <c>error</c> event, since the status code is already gone.
/// </summary>
public sealed partial class ServerSentEventsResult(IAsyncEnumerable<GenerationChunk> chunks, bool withMetadata,
    JsonSerializerOptions json) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context)
    {
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILogger<ServerSentEventsResult>>();
        return TypedResults.ServerSentEvents(Events(logger, context.HttpContext.RequestAborted)).ExecuteAsync(context.HttpContext);
    }

    private async IAsyncEnumerable<SseItem<string>> Events(ILogger logger, [EnumeratorCancellation] CancellationToken aborted)
    {
        var summarized = false;
        string? reason = null;
        await foreach (var (chunk, failure) in Guarded.Enumerate(chunks, aborted))
        {
            if (failure is not null)
            {
                LogStreamFailed(logger, failure);
                // The engine's refusals are written for the client (a constraint over its budget says why).
                reason = failure is EngineException engine ? engine.Message : null;
                break;
            }
            summarized |= chunk.Summary is not null;
            if (chunk.Text.Length > 0)
                yield return new SseItem<string>(chunk.Text);
            if (chunk.Summary is { } summary && withMetadata)
                yield return new SseItem<string>(JsonSerializer.Serialize(GenerationMetadata.From(summary), json), "metadata");
        }
        // A stream that ends without its summary ended in failure: say so as the last event.
        if (!summarized)
            yield return new SseItem<string>(reason is null ? "generation failed" : $"generation failed: {reason}", "error");
    }

    [LoggerMessage(EventId = 501, Level = LogLevel.Error, Message = "Generation failed mid-stream; sent an error event")]
    private static partial void LogStreamFailed(ILogger logger, Exception error);
}
