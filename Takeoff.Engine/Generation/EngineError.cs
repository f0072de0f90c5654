namespace Takeoff.Engine.Generation;

/// <summary>Why the engine refused a request; each API maps each to one HTTP status.</summary>
public enum EngineError
{
    /// <summary>An input is out of range for this model (e.g. the prompt does not fit its context).</summary>
    InvalidArgument,

    /// <summary>No such consumer group, model or reader.</summary>
    NotFound,

    /// <summary>The reader is still loading, failed to load, or is shutting down.</summary>
    NotReady,

    /// <summary>Every batch slot is busy and the waiting queue is full.</summary>
    Overloaded,
}
