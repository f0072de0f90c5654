using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Takeoff.Api.Hosting;

/// <summary>Where the inference, management and OpenAI APIs listen (section <c>Takeoff</c>).</summary>
public sealed class ServerOptions : IValidatableObject
{
    /// <summary>Inference port; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8000;

    /// <summary>Address to bind; loopback unless you mean to serve the network (then 0.0.0.0).</summary>
    [Required]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Management API port; null means the inference port + 1 (8001), or a free one when Port is 0.</summary>
    [Range(0, 65535)]
    public int? ManagementPort { get; set; }

    /// <summary>Address the management API binds; loopback, since it can load and unload models.</summary>
    [Required]
    public string ManagementHost { get; set; } = "127.0.0.1";

    /// <summary>
    /// A third listener serving only the OpenAI-compatible API (/v1), as Takeoff does on 3003 (its Python client sends
    /// embeddings there); 0 turns it off. /v1 is served on the inference port either way.
    /// </summary>
    [Range(0, 65535)]
    public int OpenAiPort { get; set; } = 3003;

    /// <summary>Keys the inference API (Takeoff and /v1) accepts as <c>Authorization: Bearer</c>, comma-separated; none: open.</summary>
    public string? ApiKeys { get; set; }

    /// <summary>A file of keys the inference API accepts, one per line (blank lines and #comments skipped).</summary>
    public string? ApiKeyFile { get; set; }

    /// <summary>The key the management API requires; needed whenever it binds a non-loopback address.</summary>
    public string? ManagementApiKey { get; set; }

    /// <summary>The largest request body accepted, in bytes; a larger one is answered 413.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 10_000_000;

    /// <summary>Web origins whose pages may call the inference API and /v1 from a browser, comma-separated; none by default.</summary>
    public string? CorsOrigins { get; set; }

    /// <summary>
    /// Web origins whose pages may call the management API from a browser, comma-separated; none by default (Swagger UI's
    /// "Try it out" on the management API needs the inference port's own origin here, e.g. http://127.0.0.1:8000).
    /// </summary>
    public string? ManagementCorsOrigins { get; set; }

    /// <summary>
    /// Host header values accepted on every port, comma-separated ("*" for any): loopback names by default, so that
    /// a web page cannot reach this server under a name of its own (DNS rebinding). Serving the network, list the
    /// names clients use.
    /// </summary>
    public string AllowedHosts { get; set; } = "localhost,127.0.0.1,[::1]";

    /// <summary>
    /// For clusters: readers come only from models.json; the management API still lists them but refuses to add or
    /// remove one (403), so every replica of a pool serves the same models.
    /// </summary>
    public bool ManagementReadOnly { get; set; }

    /// <summary>Serve Prometheus metrics at /metrics on the inference port (open, like /health).</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>Console logs as plain text ("simple") or one JSON object per line ("json").</summary>
    public LogFormat LogFormat { get; set; } = LogFormat.Simple;

    /// <summary>Framing of /generate_stream for clients that do not send <c>Accept: text/event-stream</c>.</summary>
    public StreamFormat StreamFormat { get; set; } = StreamFormat.Plain;

    public int EffectiveManagementPort => ManagementPort ?? (Port == 0 ? 0 : Port + 1);

    /// <summary>The inference API's keys: those given inline and those of the key file.</summary>
    public IReadOnlyList<string> InferenceKeys()
    {
        var inline = (ApiKeys ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var fromFile = ApiKeyFile is not null && File.Exists(ApiKeyFile)
            ? File.ReadAllLines(ApiKeyFile).Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#'))
            : [];
        return [.. inline, .. fromFile];
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Port != 0 && EffectiveManagementPort == Port)
            yield return new ValidationResult("ManagementPort must differ from Port.", [nameof(ManagementPort)]);
        if (!IPAddress.TryParse(ManagementHost, out var management))
            yield return new ValidationResult("ManagementHost must be an IP address.", [nameof(ManagementHost)]);
        else if (!IPAddress.IsLoopback(management) && string.IsNullOrEmpty(ManagementApiKey))
            yield return new ValidationResult(
                $"The management API can load and unload models; it binds {ManagementHost}, beyond this machine, only with " +
                "a key: set --management-api-key (or TAKEOFF_MANAGEMENT_API_KEY), or bind it to 127.0.0.1.", [nameof(ManagementApiKey)]);
        if (ApiKeyFile is not null && !File.Exists(ApiKeyFile))
            yield return new ValidationResult($"The API key file '{ApiKeyFile}' does not exist.", [nameof(ApiKeyFile)]);
        if (OpenAiPort != 0 && (OpenAiPort == Port || OpenAiPort == EffectiveManagementPort))
            yield return new ValidationResult("OpenAiPort must differ from Port and ManagementPort (0 turns it off).", [nameof(OpenAiPort)]);
    }
}
