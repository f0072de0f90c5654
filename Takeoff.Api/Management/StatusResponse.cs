namespace Takeoff.Api.Management;

/// <summary>Answer of <c>GET /status</c>: every reader, and the server's configuration.</summary>
public sealed record StatusResponse(ReaderStatus Status, ServerConfig Config);

/// <param name="LiveReaders">Loading and ready readers.</param>
/// <param name="DeadReaders">Readers whose model failed to load, with the error.</param>
public sealed record ReaderStatus(IReadOnlyList<ReaderInfo> LiveReaders, IReadOnlyList<ReaderInfo> DeadReaders);

/// <summary>The settings the server runs with.</summary>
public sealed record ServerConfig(
    int Port,
    int ManagementPort,
    string Host,
    string ManagementHost,
    string StreamFormat,
    string ModelsDir,
    string ModelsFile,
    double ReaderStopGraceSeconds);
