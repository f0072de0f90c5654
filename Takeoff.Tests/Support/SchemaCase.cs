using System.Text.Json;

namespace Takeoff.Tests.Support;

/// <summary>A corpus schema with instances that must validate (and be generable) and instances that must not.</summary>
internal sealed record SchemaCase(string Name, JsonElement Schema, IReadOnlyList<JsonElement> Valid, IReadOnlyList<JsonElement> Invalid)
{
    public override string ToString() => Name;
}
