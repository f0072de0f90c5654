using System.Text.Json;

namespace Takeoff.Engine.Text.Tools;

/// <summary>A function the model may call: its name, what it does, and its parameters as a JSON Schema.</summary>
/// <param name="Strict">The arguments must validate against <paramref name="Parameters"/>: a schema the grammar cannot enforce is refused.</param>
public sealed record ChatTool(string Name, string? Description, JsonElement? Parameters, bool Strict = false);
