using Microsoft.AspNetCore.Cors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Takeoff.Api.Hosting;
using Takeoff.Engine;
using Takeoff.Engine.Readers;

namespace Takeoff.Api.Management;

/// <summary>The management API (management port only): readers and consumer groups, changed while the server runs.</summary>
[ApiController]
[ManagementApi]
[EnableCors(BrowserAccess.ManagementPolicy)]
[ApiExplorerSettings(GroupName = ManagementDocument.Name)]
public sealed class ManagementController(InferenceEngine engine, Listeners listeners, IOptions<ServerOptions> server) : ControllerBase
{
    /// <summary>Every reader, by consumer group.</summary>
    [HttpGet("/reader_groups")]
    public Dictionary<string, List<ReaderInfo>> ReaderGroups() =>
        engine.Readers().GroupBy(r => r.Entry.ConsumerGroup)
            .ToDictionary(g => g.Key, g => g.Select(ReaderInfo.From).ToList());

    /// <summary>Start a reader; it loads in the background and serves its consumer group once ready.</summary>
    /// <response code="201">The reader's id; poll /reader_groups or /status until it is ready.</response>
    /// <response code="400">A field is invalid, or model_name is neither a models.json entry nor a .gguf file inside the models directory.</response>
    /// <response code="403">The server runs with --management-read-only.</response>
    [HttpPost("/reader")]
    [RefusedWhenReadOnly]
    [Consumes("application/json")]
    [ProducesResponseType<AddReaderResponse>(StatusCodes.Status201Created, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public CreatedAtActionResult AddReader(AddReaderRequest request)
    {
        var reader = engine.StartReader(request.ModelName!, request.ToOverrides());
        return CreatedAtAction(nameof(Config), new { reader_id = reader.Id }, new AddReaderResponse(reader.Id));
    }

    /// <summary>
    /// Remove a reader: it leaves routing at once, its running requests get the grace period
    /// (ReaderStopGraceSeconds) to finish and are then ended early (finish_reason "stopped"); its memory is freed
    /// before this answers (or goes on being freed after it, when that takes more than ten seconds beyond the grace).
    /// </summary>
    /// <response code="204">Removed and freed.</response>
    /// <response code="403">The server runs with --management-read-only.</response>
    /// <response code="404">No reader with that id.</response>
    [HttpDelete("/reader/{reader_id}")]
    [RefusedWhenReadOnly]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> RemoveReader([FromRoute(Name = "reader_id")] string readerId) =>
        await engine.StopReaderAsync(readerId)
            ? NoContent()
            : Problem(statusCode: StatusCodes.Status404NotFound, detail: $"No reader '{readerId}'.");

    /// <summary>A reader's effective configuration.</summary>
    /// <response code="404">No reader with that id.</response>
    [HttpGet("/config/{reader_id}")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public ReaderConfig Config([FromRoute(Name = "reader_id")] string readerId) =>
        ReaderConfig.From(engine.Reader(readerId));

    /// <summary>Live readers (loading or ready), dead readers with their errors, and the server's settings.</summary>
    [HttpGet("/status")]
    public StatusResponse Status()
    {
        var readers = engine.Readers();
        var options = server.Value;
        var settings = engine.ReaderSettings;
        var config = new ServerConfig(listeners.InferencePort, listeners.ManagementPort, options.Host, options.ManagementHost,
            options.StreamFormat.ToString().ToLowerInvariant(), settings.ModelsDirectory, settings.ModelsFile, settings.StopGrace.TotalSeconds);
        return new StatusResponse(
            new ReaderStatus(
                readers.Where(r => r.State != ReaderState.Dead).Select(ReaderInfo.From).ToArray(),
                readers.Where(r => r.State == ReaderState.Dead).Select(ReaderInfo.From).ToArray()),
            config);
    }
}
