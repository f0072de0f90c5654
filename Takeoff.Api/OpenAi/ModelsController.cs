using Microsoft.AspNetCore.Mvc;
using Takeoff.Engine;

namespace Takeoff.Api.OpenAi;

/// <summary>What a request's "model" may name: every consumer group, and every model a reader serves.</summary>
/// <remarks>Not an <see cref="OpenAiController"/>: listing cannot fail the ways a request can.</remarks>
[ApiController]
[OpenAiApi]
[ApiExplorerSettings(GroupName = OpenAiDocument.Name)]
public sealed class ModelsController(InferenceEngine engine) : ControllerBase
{
    private static readonly long Started = new DateTimeOffset(System.Diagnostics.Process.GetCurrentProcess().StartTime).ToUnixTimeSeconds();

    /// <summary>One entry per consumer group (as Takeoff does), then one per model name that is not also a group's.</summary>
    [HttpGet("/v1/models")]
    [ProducesResponseType<ModelList>(StatusCodes.Status200OK, "application/json")]
    public ModelList List()
    {
        return new ModelList(engine.Targets()
            .Select(t => new ModelCard(t.Name, Started, t.IsGroup ? "takeoff" : "takeoff:model"))
            .ToArray());
    }
}
