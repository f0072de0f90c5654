using System.Text.Json;
using Takeoff.Api;

namespace Takeoff.Tests.Support;

/// <summary>Request bodies read as the server reads them (its wire JSON: snake_case, strict numbers, each key once).</summary>
internal static class WireJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        TakeoffApiExtensions.ConfigureWireJson(options);
        return options;
    }
}
