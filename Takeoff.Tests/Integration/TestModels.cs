namespace Takeoff.Tests.Integration;

/// <summary>Where the real GGUF models are: TAKEOFF_MODELS_DIR, else <c>../shared/models</c> beside the repository.</summary>
internal static class TestModels
{
    public static string Directory { get; } = Locate();

    public static string Stories260K => Path.Combine(Directory, "stories260K.gguf");

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
