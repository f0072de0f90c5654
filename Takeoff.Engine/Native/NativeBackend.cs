using LLama.Native;
using Microsoft.Extensions.Logging;
using Takeoff.Engine.Models;

namespace Takeoff.Engine.Native;

/// <summary>
/// Chooses and loads llama.cpp's native library once per process, before any other LLamaSharp call,
/// and says which one loaded. CUDA asked for and not loaded is a startup error, never a silent CPU fallback.
/// </summary>
internal static partial class NativeBackend
{
#if LLAMA_CUDA
    public const bool BuiltWithCuda = true;
#else
    public const bool BuiltWithCuda = false;
#endif

    private static readonly Lock Gate = new();
    private static string? _description;

    /// <summary>Which native library loaded, once one has.</summary>
    public static string? Description => Volatile.Read(ref _description);

    /// <summary>The device a model's <paramref name="requested"/> device resolves to in this build.</summary>
    public static ComputeDevice Resolve(ComputeDevice requested) => requested switch
    {
        ComputeDevice.Auto => BuiltWithCuda ? ComputeDevice.Cuda : ComputeDevice.Cpu,
        ComputeDevice.Cuda when !BuiltWithCuda => throw new ModelFileException(
            "device 'cuda' was requested but this build carries the CPU backend; " +
            "build with -p:LlamaBackend=Cuda12 (see scripts/run-cuda.sh)."),
        _ => requested,
    };

    /// <summary>Loads the native library (idempotent) and returns a description of what loaded.</summary>
    public static string EnsureLoaded(ILogger logger)
    {
        lock (Gate)
        {
            if (_description is not null)
                return _description;

            if (!NativeLibraryConfig.LLama.LibraryHasLoaded)
            {
                NativeLibraryConfig.All
                    .WithCuda(BuiltWithCuda)
                    .WithAutoFallback(false)
                    .WithLogCallback((level, message) => Forward(logger, level, message));
            }

            // Touching the API makes LLamaSharp load the library chosen above.
            NativeApi.llama_empty_call();
            var loaded = NativeApi.GetLoadedNativeLibrary(NativeLibraryName.LLama);
            var metadata = loaded?.Metadata;
            if (BuiltWithCuda && metadata is { UseCuda: false })
                throw new InvalidOperationException($"The CUDA backend was built in but the CPU library loaded ({metadata}); check the CUDA 12 runtime and driver.");

            _description = metadata is null
                ? "llama.cpp (unknown native library)"
                : $"llama.cpp {(metadata.UseCuda ? "CUDA" : "CPU")} library, {metadata.AvxLevel} build";
            LogLoaded(logger, _description);
            return _description;
        }
    }

    [ThreadStatic]
    private static string? _lastError;

    /// <summary>
    /// The last error llama.cpp logged on this thread, and forgets it. Calls such as the quantizer only return a
    /// status; their reason is in the log, and a reader's error should carry it.
    /// </summary>
    public static string? TakeLastError()
    {
        var error = _lastError;
        _lastError = null;
        return error;
    }

    private static void Forward(ILogger logger, LLamaLogLevel level, string message)
    {
        if (level == LLamaLogLevel.Error)
            _lastError = message.Trim();
        // llama.cpp streams progress dots as "Continue" records; they carry nothing for an operator.
        var mapped = level switch
        {
            LLamaLogLevel.Error => LogLevel.Error,
            LLamaLogLevel.Warning => LogLevel.Warning,
            LLamaLogLevel.Info => LogLevel.Debug,
            _ => LogLevel.None,
        };
        if (mapped == LogLevel.None || !logger.IsEnabled(mapped))
            return;
        var line = message.TrimEnd();
        LogNative(logger, mapped, line);
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Native backend: {Description}")]
    private static partial void LogLoaded(ILogger logger, string description);

    [LoggerMessage(EventId = 201, Message = "llama.cpp: {Message}")]
    private static partial void LogNative(ILogger logger, LogLevel level, string message);
}
