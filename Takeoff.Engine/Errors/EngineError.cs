namespace Takeoff.Engine.Errors;

/// <summary>Why the engine refused or could not finish a request; each API maps each to one HTTP status.</summary>
public enum EngineError
{
    /// <summary>An input is out of range for this model (e.g. the prompt does not fit its context).</summary>
    InvalidArgument,

    /// <summary>No such consumer group, model or reader.</summary>
    NotFound,

    /// <summary>The reader is still loading, failed, is being removed, or the server is shutting down.</summary>
    NotReady,

    /// <summary>Every batch slot is busy and the waiting queue is full.</summary>
    Overloaded,

    /// <summary>llama.cpp failed while serving the request (a decode failed, a reader's loop stopped); it did not complete.</summary>
    Failed,
}
