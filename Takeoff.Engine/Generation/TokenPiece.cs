namespace Takeoff.Engine.Generation;

/// <summary>
/// Decoded text produced by one step (never a partial UTF-8 character). The last piece of a stream
/// carries the <see cref="Summary"/>; its text may be empty.
/// </summary>
public sealed record TokenPiece(string Text, GenerationSummary? Summary = null);
