namespace Takeoff.Engine.Generation;

public enum FinishReason
{
    /// <summary>max_new_tokens reached, or the sequence filled its context window.</summary>
    Length,

    /// <summary>The model produced an end-of-generation token.</summary>
    Eos,

    /// <summary>The reader was removed, and its grace period ran out before the generation finished.</summary>
    Stopped,
}

public static class FinishReasonNames
{
    /// <summary>The name clients and metrics see: "length", "eos" or "stopped".</summary>
    public static string ToWireName(this FinishReason reason) => reason switch
    {
        FinishReason.Eos => "eos",
        FinishReason.Stopped => "stopped",
        _ => "length",
    };
}
