using System.Net.ServerSentEvents;
using System.Text.Json;
using Takeoff.Api.Hosting;
using Takeoff.Api.Wire;
using Takeoff.Engine.Generation;

namespace Takeoff.Api.Takeoff;

/// <summary>
/// /generate_stream as server-sent events: each piece of text a <c>data:</c> event; optionally a final <c>metadata</c>
/// event. A failure after the stream started becomes a final <c>error</c> event saying what failed, since the status
/// code is already gone: <c>generation failed: {the engine's message} (code: {its code})</c>.
/// </summary>
public sealed partial class ServerSentEventsResult(IAsyncEnumerable<GenerationChunk> chunks, bool withMetadata)
    : EventStreamResult<GenerationChunk>(chunks)
{
    private bool _summarized;

    protected override IEnumerable<SseItem<string>> EventsOf(GenerationChunk chunk)
    {
        _summarized |= chunk.Summary is not null;
        if (chunk.Text.Length > 0)
            yield return new SseItem<string>(chunk.Text);
        if (chunk.Summary is { } summary && withMetadata)
            yield return new SseItem<string>(JsonSerializer.Serialize(GenerationMetadata.From(summary), Json), "metadata");
    }

    /// <summary>
    /// A stream that ends without its summary ended in failure. The engine's failures are written for the client (a
    /// constraint over its budget, a step llama.cpp could not decode); anything else says only that the server failed.
    /// </summary>
    protected override IEnumerable<SseItem<string>> LastEvents(HttpContext http, Exception? failure)
    {
        if (_summarized)
            yield break;
        var (message, code) = EngineErrorStatus.Describe(failure);
        yield return new SseItem<string>($"generation failed: {message} (code: {code})", "error");
    }

    protected override void LogFailure(ILogger logger, Exception failure) => LogStreamFailed(logger, failure);

    [LoggerMessage(EventId = 501, Level = LogLevel.Error, Message = "Generation failed mid-stream; sent an error event")]
    private static partial void LogStreamFailed(ILogger logger, Exception error);
}
