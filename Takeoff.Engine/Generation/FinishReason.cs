namespace Takeoff.Engine.Generation;

/// <summary>Why a choice stopped generating.</summary>
public enum FinishReason
{
    /// <summary>The most tokens asked for were generated, or the sequence filled its context window.</summary>
    Length,

    /// <summary>The model produced an end-of-generation token.</summary>
    Eos,

    /// <summary>A stop sequence appeared in the text (the matched text is not returned).</summary>
    Stop,

    /// <summary>The reader was removed or the server is shutting down, and the grace period ran out.</summary>
    Stopped,

    /// <summary>The client went away; nobody receives this, but metrics count it.</summary>
    Cancelled,
}
