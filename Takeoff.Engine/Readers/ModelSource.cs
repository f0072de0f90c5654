using Takeoff.Engine.Errors;
using Takeoff.Engine.Models;

namespace Takeoff.Engine.Readers;

/// <summary>
/// What a management request may load: a models.json entry by name, or a .gguf file inside the models
/// directory. Nothing else: an absolute path, "..", or a symbolic link that leads out of the directory is
/// refused, so the management API cannot be used to read arbitrary files.
/// </summary>
internal static class ModelSource
{
    public static ModelEntry Resolve(string modelName, ModelCatalog catalog, string modelsDirectory)
    {
        if (catalog.TryFind(modelName) is { } entry)
        {
            RequireRegular(Path.Combine(modelsDirectory, entry.File), entry.Name);
            return entry;
        }

        if (Path.IsPathRooted(modelName) || modelName.Split('/', '\\').Contains("..")
            || !modelName.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
            throw Refuse($"'{modelName}' is neither a models.json entry ({string.Join(", ", catalog.Models.Select(m => m.Name))}) " +
                         "nor a relative path to a .gguf file inside the models directory.");

        var root = RealPath(Path.GetFullPath(modelsDirectory));
        if (!File.Exists(Path.Combine(root, modelName)))
            throw Refuse($"'{modelName}' does not exist in the models directory ({root}).");
        var file = RealPath(Path.GetFullPath(Path.Combine(root, modelName)));
        if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw Refuse($"'{modelName}' leads outside the models directory.");
        RequireRegular(file, modelName);
        return new ModelEntry { Name = modelName, File = Path.GetRelativePath(root, file) };
    }

    /// <summary>The path with every symbolic link along it followed, as the operating system would open it.</summary>
    private static string RealPath(string path)
    {
        var current = Path.GetPathRoot(path)!;
        foreach (var part in path[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            var target = new FileInfo(current).ResolveLinkTarget(returnFinalTarget: true);
            if (target is not null)
                current = RealPath(target.FullName);
        }
        return current;
    }

    private static void RequireRegular(string path, string modelName)
    {
        try
        {
            ModelFiles.RequireRegular(path, modelName);
        }
        catch (ModelFileException refused)
        {
            throw Refuse(refused.Message);
        }
    }

    private static EngineException Refuse(string message) => EngineException.Invalid(EngineInput.ModelSource, message);
}
