using Microsoft.AspNetCore.Authorization;
using Takeoff.Api.Hosting.Errors;
using Takeoff.Api.Hosting.Security;
using Takeoff.Engine.Errors;

namespace Takeoff.Api.Management;

/// <summary>Marks a controller as part of the management API: the management port only, and the management key.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ManagementApiAttribute : Attribute, IWireNames, IAuthorizeData
{
    public string? Policy { get; set; } = ApiKeys.Management;

    public string? Roles { get; set; }

    public string? AuthenticationSchemes { get; set; }

    public string? NameOf(EngineInput input) => input switch
    {
        EngineInput.ModelSource => "model_name",
        EngineInput.Reader => "reader_id",
        EngineInput.Quantize => "quantize",
        EngineInput.KvCacheType => "kv_cache_type",
        EngineInput.MaxBatchSize => "max_batch_size",
        EngineInput.ContextSize => "max_seq_length",
        EngineInput.MaxQueue => "max_queue",
        _ => null,
    };
}
