namespace Takeoff.Api.Hosting;

/// <summary>How /generate_stream frames its text when the client does not ask for SSE itself.</summary>
public enum StreamFormat
{
    /// <summary>The generated text itself, unframed.</summary>
    Plain,

    /// <summary>Server-Sent Events, for clients that parse SSE but send <c>Accept: */*</c> (the Takeoff Python client).</summary>
    Sse,
}
