namespace Takeoff.Engine.Readers;

public enum ReaderState
{
    /// <summary>Finding, downloading or loading its model; requests to its group get 503.</summary>
    Loading,

    /// <summary>Serving requests.</summary>
    Ready,

    /// <summary>Finishing what it runs before it stops (removed, or the server is shutting down); takes nothing new.</summary>
    Draining,

    /// <summary>Its load failed or a part of it crashed; <see cref="ReaderSnapshot.Error"/> says why. Remove and re-add it.</summary>
    Dead,

    /// <summary>Drained and freed: its memory is given back, and it is about to leave the listing.</summary>
    Stopped,
}
