using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Takeoff.Engine.Models;

/// <summary>
/// Fetches a model file over HTTP into the models directory, reporting progress and verifying sha256.
/// The file appears under its final name only once complete and verified.
/// </summary>
internal sealed partial class ModelDownloader(HttpClient http, ILogger<ModelDownloader> logger)
{
    /// <summary>A client whose connection attempt fails fast instead of hanging on a closed network.</summary>
    public static HttpClient CreateDefaultClient() => new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task DownloadAsync(Uri url, string destination, string? sha256, IProgress<DownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        var partial = destination + ".part";
        LogDownloading(logger, url, destination);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            var total = response.Content.Headers.ContentLength;
            await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
            await using (var file = File.Create(partial))
            {
                var buffer = new byte[1 << 16];
                long received = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    received += read;
                    progress?.Report(new DownloadProgress(received, total));
                }
            }

            if (sha256 is not null)
                await VerifyAsync(partial, sha256, url, cancellationToken);
            File.Move(partial, destination, overwrite: true);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Abandoned (the reader was removed while downloading): leave nothing behind, and say it was a cancellation.
            File.Delete(partial);
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or TaskCanceledException)
        {
            File.Delete(partial);
            throw new ModelFileException(
                $"Could not download the model file '{Path.GetFileName(destination)}' from {url}: {e.Message} " +
                $"Put the file at '{Path.GetFullPath(destination)}' yourself (or point TAKEOFF_MODELS_DIR / --models-dir at a folder holding it).",
                e);
        }
    }

    public static async Task<string> ComputeSha256Async(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }

    private static async Task VerifyAsync(string path, string expected, Uri url, CancellationToken cancellationToken)
    {
        var actual = await ComputeSha256Async(path, cancellationToken);
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"sha256 mismatch for {url}: expected {expected}, got {actual}.");
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Downloading {Url} to {Destination}")]
    private static partial void LogDownloading(ILogger logger, Uri url, string destination);
}

/// <summary>Bytes received so far, and the total when the server announced it.</summary>
internal readonly record struct DownloadProgress(long Received, long? Total);
