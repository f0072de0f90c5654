namespace Takeoff.Engine.Generation;

public enum FinishReason
{
    /// <summary>max_new_tokens reached, or the sequence filled its context window.</summary>
    Length,

    /// <summary>The model produced an end-of-generation token.</summary>
    Eos,
}
