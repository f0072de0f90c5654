namespace Takeoff.Engine.Models;

/// <summary>What may be opened as a model: a regular, non-empty file.</summary>
internal static class ModelFiles
{
    /// <summary>
    /// Refuses a FIFO, a device or a socket in the models folder before anything opens it: opening a FIFO blocks until
    /// a writer comes, which would hang a load (and a request reading its header) forever. The file system reports
    /// such a file with a length of 0, as it does an empty file, which is no model either.
    /// </summary>
    public static void RequireRegular(string path, string modelName)
    {
        var file = new FileInfo(path);
        if (file.Exists && file.Length == 0)
            throw new ModelFileException(
                $"Model '{modelName}': '{file.Name}' is empty or not a regular file (a FIFO, device or socket); a model is a GGUF file.");
    }
}
