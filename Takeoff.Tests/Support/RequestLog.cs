using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Takeoff.Engine.Diagnostics;

namespace Takeoff.Tests.Support;

/// <summary>
/// The servers' request log, as the test process sees it: every in-process server logs here too, and each line
/// (one per finished sequence: reader, model, outcome, token counts) is raised as an event to whoever listens.
/// </summary>
internal sealed class RequestLog : ILoggerProvider
{
    /// <summary>The event id of the request log line (ReaderTelemetry).</summary>
    private const int FinishedEvent = 310;

    public static readonly RequestLog Provider = new();

    public static readonly string Category = typeof(ReaderTelemetry).FullName!;

    public static event Action<IReadOnlyDictionary<string, object?>>? Finished;

    public ILogger CreateLogger(string categoryName) => categoryName == Category ? new Logger() : NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Logger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == FinishedEvent && state is IReadOnlyList<KeyValuePair<string, object?>> fields)
                Finished?.Invoke(fields.ToDictionary(f => f.Key, f => f.Value));
        }
    }
}
