using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Takeoff.Api.Hosting;

/// <summary>
/// The management API's Kestrel listener. Kestrel writes the bound port back into it (also when port 0 asked
/// for a free one), so a request can be told apart by the local port it came in on.
/// </summary>
public sealed class ManagementListener
{
    private ListenOptions? _listen;

    /// <summary>The bound port; -1 before Kestrel has started.</summary>
    public int Port => _listen?.IPEndPoint?.Port ?? -1;

    internal void Attach(ListenOptions listen) => _listen = listen;

    public bool Received(HttpContext context) => context.Connection.LocalPort == Port;
}
