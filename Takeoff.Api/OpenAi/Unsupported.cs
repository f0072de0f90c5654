using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Takeoff.Api.OpenAi;

/// <summary>OpenAI fields this server does not honour: refused by name rather than silently ignored.</summary>
internal static class Unsupported
{
    /// <summary>Sent with a value that asks for something (null, an empty list or an empty object ask for nothing).</summary>
    public static bool IsSet(JsonElement? value) => value is { } element && element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => false,
        JsonValueKind.Array => element.GetArrayLength() > 0,
        JsonValueKind.Object => element.EnumerateObject().Any(),
        _ => true,
    };

    public static ValidationResult Field(string name, string? detail = null) =>
        new($"{name} is not supported by this server{(detail is null ? "" : $": {detail}")}.", [name]);
}
