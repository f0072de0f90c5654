using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Takeoff.Api.Hosting;

/// <summary>
/// The Kestrel listeners: inference, management, and (unless turned off) OpenAI. Kestrel writes the bound ports back into them (also when
/// port 0 asked for a free one), so a request can be told apart by the local port it came in on.
/// </summary>
public sealed class Listeners
{
    private ListenOptions? _inference;
    private ListenOptions? _management;
    private ListenOptions? _openAi;

    /// <summary>The bound inference port; -1 before Kestrel has started.</summary>
    public int InferencePort => _inference?.IPEndPoint?.Port ?? -1;

    /// <summary>The bound management port; -1 before Kestrel has started.</summary>
    public int ManagementPort => _management?.IPEndPoint?.Port ?? -1;

    /// <summary>The bound OpenAI port; -1 when it is off or before Kestrel has started.</summary>
    public int OpenAiPort => _openAi?.IPEndPoint?.Port ?? -1;

    internal void AttachInference(ListenOptions listen) => _inference = listen;

    internal void AttachManagement(ListenOptions listen) => _management = listen;

    internal void AttachOpenAi(ListenOptions listen) => _openAi = listen;

    public bool OnManagementPort(HttpContext context) => context.Connection.LocalPort == ManagementPort;

    public bool OnOpenAiPort(HttpContext context) => context.Connection.LocalPort == OpenAiPort;
}
