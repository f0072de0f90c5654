namespace Takeoff.Api.Management;

/// <summary>The new reader's id; it loads in the background (watch <c>ready</c> in /reader_groups or /status).</summary>
public sealed record AddReaderResponse(string ReaderId);
