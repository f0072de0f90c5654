using Takeoff.Api.Errors;
using Takeoff.Engine.Generation;

namespace Takeoff.Api.Hosting;

/// <summary>Marks a controller as part of the management API, served on the management port only.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ManagementApiAttribute : Attribute, IWireNames
{
    public string? NameOf(EngineInput input) => input switch
    {
        EngineInput.ModelSource => "model_name",
        EngineInput.Reader => "reader_id",
        _ => null,
    };
}
