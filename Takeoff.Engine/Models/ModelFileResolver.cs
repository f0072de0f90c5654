namespace Takeoff.Engine.Models;

/// <summary>Finds a model's GGUF file in the models directory, downloading it first when it is missing.</summary>
internal sealed class ModelFileResolver(ModelDownloader downloader, IProgress<DownloadProgress>? progress = null)
{
    public async Task<string> ResolveAsync(ModelEntry entry, string modelsDirectory, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(Path.Combine(modelsDirectory, entry.File));
        if (File.Exists(path))
        {
            ModelFiles.RequireRegular(path, entry.Name);
            return path;
        }
        if (entry.Url is null)
            throw new ModelFileException(
                $"Model '{entry.Name}': the file '{path}' does not exist and models.json gives no download url. " +
                "Copy the GGUF file there, or set TAKEOFF_MODELS_DIR / --models-dir to the folder that holds it.");

        await downloader.DownloadAsync(new Uri(entry.Url), path, entry.Sha256, progress, cancellationToken);
        return path;
    }
}
