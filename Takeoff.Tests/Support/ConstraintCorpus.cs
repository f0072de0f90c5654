using System.Text.Json;

namespace Takeoff.Tests.Support;

/// <summary>
/// The constrained-decoding corpus (Engine/Sampling/Constraints/Corpus): schemas and regexes with labelled samples,
/// read from beside the test assembly. The converter tests check it without a model; model-driven tests reuse it.
/// </summary>
internal static class ConstraintCorpus
{
    private static readonly Lazy<JsonDocument> SchemaFile = new(() => Load("schemas.json"));
    private static readonly Lazy<JsonDocument> RegexFile = new(() => Load("regexes.json"));

    public static IReadOnlyList<SchemaCase> Schemas() =>
        [.. SchemaFile.Value.RootElement.GetProperty("schemas").EnumerateArray().Select(e => new SchemaCase(
            e.GetProperty("name").GetString()!,
            e.GetProperty("schema"),
            [.. e.GetProperty("valid").EnumerateArray()],
            [.. e.GetProperty("invalid").EnumerateArray()]))];

    public static IReadOnlyList<RegexCase> Regexes() =>
        [.. RegexFile.Value.RootElement.GetProperty("regexes").EnumerateArray().Select(e => new RegexCase(
            e.GetProperty("name").GetString()!,
            e.GetProperty("pattern").GetString()!,
            [.. e.GetProperty("matching").EnumerateArray().Select(s => s.GetString()!)],
            [.. e.GetProperty("nonMatching").EnumerateArray().Select(s => s.GetString()!)]))];

    private static JsonDocument Load(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(
            AppContext.BaseDirectory, "Engine", "Sampling", "Constraints", "Corpus", file)));
}
