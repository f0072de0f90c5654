using Takeoff.Engine.Models;
using Takeoff.Engine.Readers;

namespace Takeoff.Api.Management;

/// <summary>How the management API spells the engine's enums: "CAUSAL", "ready", "cuda".</summary>
internal static class ManagementNames
{
    public static string Of(ModelType type) => type.ToString().ToUpperInvariant();

    public static string Of(ReaderState state) => state.ToString().ToLowerInvariant();

    public static string Of(ComputeDevice device) => device.ToString().ToLowerInvariant();
}
