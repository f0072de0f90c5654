namespace Takeoff.Engine.Generation;

/// <summary>A refusal the client can act on; <see cref="Field"/> names the request field at fault, if any.</summary>
public sealed class EngineException(EngineError error, string message, string? field = null) : Exception(message)
{
    public EngineError Error { get; } = error;

    public string? Field { get; } = field;
}
