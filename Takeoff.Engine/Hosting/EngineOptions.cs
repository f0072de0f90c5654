using System.ComponentModel.DataAnnotations;

namespace Takeoff.Engine.Hosting;

/// <summary>Where the engine finds its models (section <c>Takeoff</c>; TAKEOFF_* variables and flags override).</summary>
public sealed class EngineOptions
{
    public const string Section = "Takeoff";

    /// <summary>Folder holding the GGUF files; missing files with a url in models.json are downloaded here.</summary>
    [Required]
    public string ModelsDir { get; set; } = "models";

    /// <summary>The model catalog; a relative path is looked up in the working directory, then beside the server.</summary>
    [Required]
    public string ModelsFile { get; set; } = "models.json";

    /// <summary>Name of the models.json entry to serve; null serves the catalog's default.</summary>
    public string? Model { get; set; }

    internal string ResolveModelsFile()
    {
        if (Path.IsPathRooted(ModelsFile) || File.Exists(ModelsFile))
            return Path.GetFullPath(ModelsFile);
        var besideServer = Path.Combine(AppContext.BaseDirectory, ModelsFile);
        return File.Exists(besideServer) ? besideServer : Path.GetFullPath(ModelsFile);
    }
}
