namespace Takeoff.Api.Hosting;

/// <summary>The listeners an API answers on (see <see cref="Listeners"/>).</summary>
[Flags]
public enum ServedOn
{
    /// <summary>The inference port: the Takeoff API, /v1, the pages, docs, health and metrics.</summary>
    InferencePort = 1,

    /// <summary>Takeoff's OpenAI port (3003), for /v1 alone.</summary>
    OpenAiPort = 2,

    /// <summary>The management port (loopback by default).</summary>
    ManagementPort = 4,
}
