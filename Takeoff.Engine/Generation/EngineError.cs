namespace Takeoff.Engine.Generation;

/// <summary>Why the engine refused a request; the API maps each to one HTTP status.</summary>
public enum EngineError
{
    /// <summary>A request field is out of range for this model (e.g. the prompt does not fit its context).</summary>
    InvalidArgument,

    /// <summary>No reader serves the requested consumer group.</summary>
    UnknownConsumerGroup,

    /// <summary>The model is still loading.</summary>
    NotReady,

    /// <summary>Every batch slot is busy and the waiting queue is full.</summary>
    Overloaded,
}
