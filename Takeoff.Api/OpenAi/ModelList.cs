using System.Text.Json.Serialization;

namespace Takeoff.Api.OpenAi;

/// <summary>Answer of <c>GET /v1/models</c>.</summary>
public sealed record ModelList(IReadOnlyList<ModelCard> Data)
{
    [JsonPropertyName("object")]
    public string Kind => "list";
}

/// <param name="Id">A consumer group or a model name: what a request's "model" may be.</param>
/// <param name="Created">Unix seconds: when the server started.</param>
/// <param name="OwnedBy">"takeoff" for a consumer group, "takeoff:model" for a model name.</param>
public sealed record ModelCard(string Id, long Created, string OwnedBy)
{
    [JsonPropertyName("object")]
    public string Kind => "model";
}
