using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using LLama;
using LLama.Common;
using LLama.Native;
using Microsoft.Extensions.Logging;
using Takeoff.Engine.Models;
using Takeoff.Engine.Native;

namespace Takeoff.Engine.Quantization;

/// <summary>
/// Quantizes a reader's source GGUF once, into the models directory's cache (<c>.quantized/</c>), and hands back the
/// cached file from then on. The cached name holds the source's sha256 and the type, so a changed source makes a
/// new file. The output is written under a temporary name and renamed only when complete, so a failed, cancelled or
/// killed quantization never leaves a file that could be taken for a model.
/// </summary>
internal sealed partial class ModelQuantizer(ILogger<ModelQuantizer> logger)
{
    private const string CacheFolder = ".quantized";

    // One quantization per target at a time: a second reader of the same entry waits and reuses the file.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _targets = new(StringComparer.Ordinal);

    /// <summary>The file to load for <paramref name="entry"/>: the source itself when it has the type already.</summary>
    public async Task<string> QuantizedAsync(ModelEntry entry, string source, string modelsDirectory, CancellationToken cancellation)
    {
        var name = entry.Quantize!;
        var type = WeightTypes.TryParse(name) ?? throw new ModelFileException(WeightTypes.Problem(name)!);
        var sourceType = RefuseRequantizing(entry, source);
        if (sourceType == type)
        {
            LogAlreadyThatType(logger, entry.Name, name);
            return source;
        }

        var sha256 = await Sha256Async(source, cancellation);
        var cache = Path.Combine(Path.GetFullPath(modelsDirectory), CacheFolder);
        var target = Path.Combine(cache, $"{Path.GetFileNameWithoutExtension(source)}-{sha256[..16]}-{name.ToLowerInvariant()}.gguf");
        var gate = _targets.GetOrAdd(target, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellation);
        try
        {
            if (File.Exists(target))
            {
                LogReused(logger, entry.Name, target);
                return target;
            }
            await QuantizeAsync(entry, source, target, type, cancellation);
            return target;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The source's weight type, when its header names it; refuses an already-quantized source asked for another type
    /// unless the entry allows it (each quantization loses precision: the original, quantized once, is better).
    /// Without a type in the header, llama.cpp's own check refuses each quantized tensor in the same case.
    /// </summary>
    public LLamaFtype? RefuseRequantizing(ModelEntry entry, string source)
    {
        var sourceType = WeightTypeOf(source);
        var type = WeightTypes.TryParse(entry.Quantize!);
        if (sourceType is { } known && type != known && WeightTypes.IsQuantized(known) && !entry.AllowRequantize)
            throw new ModelFileException(
                $"Model '{entry.Name}': '{Path.GetFileName(source)}' is already quantized ({WeightTypes.Name(known)}); quantizing it " +
                $"again to {entry.Quantize} loses more quality than quantizing the full-precision original. Point the entry at the " +
                "original, or set allow_requantize: true.");
        return sourceType;
    }

    /// <summary>A GGUF's weight type as its header gives it (general.file_type), read without its tensors.</summary>
    private LLamaFtype? WeightTypeOf(string path)
    {
        NativeBackend.EnsureLoaded(logger);
        using var weights = LLamaWeights.LoadFromFile(new ModelParams(path) { VocabOnly = true, GpuLayerCount = 0 });
        return weights.Metadata.TryGetValue("general.file_type", out var value) && int.TryParse(value, CultureInfo.InvariantCulture, out var type)
            ? (LLamaFtype)type
            : null;
    }

    private async Task QuantizeAsync(ModelEntry entry, string source, string target, LLamaFtype type, CancellationToken cancellation)
    {
        var cache = Path.GetDirectoryName(target)!;
        try
        {
            Directory.CreateDirectory(cache);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException($"Model '{entry.Name}': the quantized file cannot be written to {cache}: {e.Message}");
        }

        SweepAbandoned(target);
        var partial = $"{target}.{Guid.NewGuid():N}.partial";
        var threads = entry.Threads ?? Environment.ProcessorCount;
        var sourceBytes = new FileInfo(source).Length;
        LogQuantizing(logger, entry.Name, source, sourceBytes / 1048576.0, entry.Quantize!, threads, target);
        var clock = Stopwatch.StartNew();
        var work = Task.Factory.StartNew(() =>
            {
                NativeBackend.TakeLastError();
                return LLamaQuantizer.Quantize(source, partial, type, threads, entry.AllowRequantize) ? null : NativeBackend.TakeLastError() ?? "no reason given";
            },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        string? failure;
        try
        {
            failure = await work.WaitAsync(cancellation);
        }
        catch (OperationCanceledException)
        {
            // llama.cpp's quantizer cannot be interrupted: its output goes as soon as it returns.
            _ = work.ContinueWith(_ => Delete(partial), TaskScheduler.Default);
            LogCancelled(logger, entry.Name);
            throw;
        }
        catch (Exception e)
        {
            Delete(partial);
            throw new ModelFileException($"Model '{entry.Name}': quantizing to {entry.Quantize} failed: {e.Message}");
        }

        if (failure is not null)
        {
            Delete(partial);
            throw new ModelFileException($"Model '{entry.Name}': llama.cpp could not quantize '{source}' to {entry.Quantize}: " +
                                         failure + Hint(failure, cache, sourceBytes));
        }
        try
        {
            File.Move(partial, target, overwrite: true);
        }
        catch (IOException e)
        {
            Delete(partial);
            throw new ModelFileException($"Model '{entry.Name}': the quantized file could not be moved into {cache}: {e.Message}");
        }
        var bytes = new FileInfo(target).Length;
        LogQuantized(logger, entry.Name, entry.Quantize!, bytes / 1048576.0, (double)sourceBytes / bytes, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Deletes what a killed process left of an earlier quantization to <paramref name="target"/>: a live quantizer
    /// writes its file tensor by tensor, so one untouched for minutes is abandoned (another server sharing the directory
    /// may be writing a newer one, which is left alone).
    /// </summary>
    private static void SweepAbandoned(string target)
    {
        foreach (var stale in Directory.EnumerateFiles(Path.GetDirectoryName(target)!, Path.GetFileName(target) + ".*.partial"))
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(stale) > TimeSpan.FromMinutes(10))
                Delete(stale);
        }
    }

    /// <summary>What the user can do about the likely causes: a full disk, or a tensor the type cannot hold.</summary>
    private static string Hint(string failure, string directory, long sourceBytes)
    {
        var free = new DriveInfo(Path.GetPathRoot(Path.GetFullPath(directory))!).AvailableFreeSpace;
        if (free < sourceBytes)
            return $". The disk holding {directory} is full ({free / 1048576.0:F1} MiB free).";
        // This llama.cpp build has no fallback for 32-value block types: a tensor whose rows are not a multiple of 32
        // values cannot be stored in them, while the k-quants fall back per tensor.
        return failure.Contains("fallback", StringComparison.Ordinal)
            ? ". Some tensor's rows are not a multiple of this type's block size; a k-quant (q6_k, q4_k_m...) falls back per tensor."
            : "";
    }

    private static async Task<string> Sha256Async(string path, CancellationToken cancellation)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellation));
    }

    private static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information,
        Message = "Model '{Model}': quantizing {Source} ({MiB:F1} MiB) to {Type} with {Threads} threads into {Target}")]
    private static partial void LogQuantizing(ILogger logger, string model, string source, double miB, string type, int threads, string target);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information,
        Message = "Model '{Model}': quantized to {Type}: {MiB:F1} MiB ({Ratio:F2}x smaller) in {Seconds:F1} s")]
    private static partial void LogQuantized(ILogger logger, string model, string type, double miB, double ratio, double seconds);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "Model '{Model}': reusing the quantized file {Target}")]
    private static partial void LogReused(ILogger logger, string model, string target);

    [LoggerMessage(EventId = 43, Level = LogLevel.Information, Message = "Model '{Model}': the source is {Type} already; it is loaded as it is")]
    private static partial void LogAlreadyThatType(ILogger logger, string model, string type);

    [LoggerMessage(EventId = 44, Level = LogLevel.Warning,
        Message = "Model '{Model}': quantization cancelled; llama.cpp's quantizer finishes its pass in the background and its output is then deleted")]
    private static partial void LogCancelled(ILogger logger, string model);
}
