using System.ComponentModel.DataAnnotations;
using Takeoff.Api.Streaming;

namespace Takeoff.Api.Hosting;

/// <summary>Where the inference API listens (section <c>Takeoff</c>).</summary>
public sealed class ServerOptions
{
    /// <summary>Inference port; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8000;

    /// <summary>Address to bind; loopback unless you mean to serve the network (then 0.0.0.0).</summary>
    [Required]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Framing of /generate_stream for clients that do not send <c>Accept: text/event-stream</c>.</summary>
    public StreamFormat StreamFormat { get; set; } = StreamFormat.Plain;
}
