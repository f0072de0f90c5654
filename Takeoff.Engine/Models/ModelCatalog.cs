using System.Text.Json;
using System.Text.Json.Serialization;

namespace Takeoff.Engine.Models;

/// <summary>The contents of <c>models.json</c>: every known model and which one the server loads.</summary>
public sealed record ModelCatalog
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Name of the model loaded at startup.</summary>
    public required string Default { get; init; }

    public required IReadOnlyList<ModelEntry> Models { get; init; }

    public ModelEntry Find(string name) =>
        Models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException(
            $"Model '{name}' is not in models.json; known models: {string.Join(", ", Models.Select(m => m.Name))}.");

    public static ModelCatalog Load(string path)
    {
        if (!System.IO.File.Exists(path))
            throw new FileNotFoundException($"The model catalog '{Path.GetFullPath(path)}' does not exist.", path);
        using var stream = System.IO.File.OpenRead(path);
        return Parse(stream, path);
    }

    internal static ModelCatalog Parse(Stream json, string source)
    {
        var catalog = JsonSerializer.Deserialize<ModelCatalog>(json, JsonOptions)
            ?? throw new InvalidDataException($"{source} is empty.");
        foreach (var model in catalog.Models)
        {
            if (model.ContextSize < 16 || model.MaxBatchSize < 1 || model.MaxQueue < 0)
                throw new InvalidDataException(
                    $"{source}: model '{model.Name}' needs context_size >= 16, max_batch_size >= 1 and max_queue >= 0.");
        }
        catalog.Find(catalog.Default);
        return catalog;
    }
}
