namespace Takeoff.Engine.Generation;

/// <summary>A refusal the client can act on; <see cref="Input"/> says which input was at fault, if one was.</summary>
public sealed class EngineException(EngineError error, string message, EngineInput? input = null) : Exception(message)
{
    public EngineError Error { get; } = error;

    public EngineInput? Input { get; } = input;

    internal static EngineException Invalid(EngineInput input, string message) => new(EngineError.InvalidArgument, message, input);
}
