using System.Text.Json.Serialization;
using Takeoff.Api.Wire;

namespace Takeoff.Api.Takeoff;

/// <summary>
/// Answer of <c>POST /generate</c>: the text under both <c>text</c> (newer clients) and <c>message</c>
/// (older clients); a string for a string prompt, a list in input order for a list of prompts.
/// </summary>
public sealed record GenerateResponse(
    OneOrMany<string> Text,
    OneOrMany<string> Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OneOrMany<GenerationMetadata>? Metadata);
