namespace Takeoff.Engine.Readers;

public enum ReaderState
{
    /// <summary>Finding, downloading or loading its model; requests to its group get 503.</summary>
    Loading,

    /// <summary>Serving requests.</summary>
    Ready,

    /// <summary>The load failed; <see cref="Reader.Error"/> says why.</summary>
    Dead,
}
