using System.Text;
using Microsoft.AspNetCore.Mvc;
using Takeoff.Engine.Generation;

namespace Takeoff.Api.Takeoff;

/// <summary>
/// Writes each decoded piece as soon as it exists: UTF-8 text, one write and flush per piece, no framing,
/// so <c>curl -N</c> and <c>iter_content</c> show tokens as they are generated.
/// </summary>
public sealed partial class PlainTextStreamResult(IAsyncEnumerable<GenerationChunk> chunks) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext;
        var response = http.Response;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        // Tell reverse proxies (nginx) not to buffer the stream.
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(http.RequestAborted);
        try
        {
            await foreach (var chunk in chunks)
            {
                if (chunk.Text.Length == 0)
                    continue;
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes(chunk.Text), http.RequestAborted);
                await response.Body.FlushAsync(http.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; the engine has already been told through the same token.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The status line is gone: cut the connection so the client sees a broken stream, not a short "success".
            var logger = http.RequestServices.GetRequiredService<ILogger<PlainTextStreamResult>>();
            LogStreamFailed(logger, e);
            http.Abort();
        }
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "Generation failed mid-stream; connection aborted")]
    private static partial void LogStreamFailed(ILogger logger, Exception error);
}
