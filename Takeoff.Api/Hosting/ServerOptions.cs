using System.ComponentModel.DataAnnotations;

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
}
