namespace Takeoff.Engine.Errors;

/// <summary>A refusal the client can act on; <see cref="Input"/> says which input was at fault, if one was.</summary>
public sealed class EngineException(EngineError error, string message, EngineInput? input = null) : Exception(message)
{
    public EngineError Error { get; } = error;

    public EngineInput? Input { get; } = input;

    /// <summary>Set when the prompt does not fit the context window (OpenAI's context_length_exceeded).</summary>
    public ContextOverflow? ContextOverflow { get; init; }

    internal static EngineException Invalid(EngineInput input, string message) => new(EngineError.InvalidArgument, message, input);
}
