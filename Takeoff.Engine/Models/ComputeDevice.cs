namespace Takeoff.Engine.Models;

/// <summary>Where a model's layers run.</summary>
public enum ComputeDevice
{
    /// <summary>CUDA when this build has the CUDA backend, otherwise CPU.</summary>
    Auto,
    Cpu,
    Cuda,
}
