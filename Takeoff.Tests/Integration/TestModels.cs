namespace Takeoff.Tests.Integration;

/// <summary>Where the real GGUF models are: TAKEOFF_MODELS_DIR, else <c>../shared/models</c> beside the repository.</summary>
internal static class TestModels
{
    public static string Directory { get; } = Locate();

    public static string Stories260K => Path.Combine(Directory, "stories260K.gguf");

    /// <summary>The published sha256 of stories260K.gguf (../shared/models/README.md).</summary>
    public const string Stories260KSha256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("TAKEOFF_MODELS_DIR");
        if (!string.IsNullOrEmpty(configured))
            return Path.GetFullPath(configured);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TakeoffLlama.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "models"));
        }
        throw new InvalidOperationException("Set TAKEOFF_MODELS_DIR to the folder holding stories260K.gguf.");
    }
}
