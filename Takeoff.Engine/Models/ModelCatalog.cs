using System.Text.Json;
using System.Text.Json.Serialization;
using Takeoff.Engine.Native;
using Takeoff.Engine.Quantization;

namespace Takeoff.Engine.Models;

/// <summary>The contents of <c>models.json</c>: every model a reader may serve, and which ones start at boot.</summary>
internal sealed record ModelCatalog
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Reading enums is case-insensitive: "CAUSAL" and "causal" both parse.
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public required IReadOnlyList<ModelEntry> Models { get; init; }

    public ModelEntry? TryFind(string name) =>
        Models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    public ModelEntry Find(string name) => TryFind(name)
        ?? throw new InvalidOperationException(
            $"Model '{name}' is not in models.json; known models: {string.Join(", ", Models.Select(m => m.Name))}.");

    /// <summary>The entries to start at boot: the named ones if <paramref name="only"/> is given, else those marked boot.</summary>
    public IReadOnlyList<ModelEntry> BootEntries(string? only) =>
        string.IsNullOrWhiteSpace(only)
            ? Models.Where(m => m.Boot).ToArray()
            : only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Find).ToArray();

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
            if (NativeLimits.Check(model) is { } limit)
                throw new InvalidDataException($"{source}: model '{model.Name}': {limit.Problem}");
            var problem = (model.Quantize is { } quantize ? WeightTypes.Problem(quantize) : null) ?? KvCacheTypes.Problem(model.KvCacheType);
            if (problem is not null)
                throw new InvalidDataException($"{source}: model '{model.Name}': {problem}");
        }
        var duplicate = catalog.Models.GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidDataException($"{source}: model name '{duplicate.Key}' is used twice.");
        return catalog;
    }
}
