using System.Text.Json.Nodes;

namespace Takeoff.Tests.Support;

/// <summary>
/// One template × conversation of the chat-template corpus and what real Jinja2 made of it: the output, or the type
/// and message of the error it raised.
/// </summary>
internal sealed record ChatTemplateCase(
    string Template, string Conversation, string Source, JsonObject Variables, string? Output, string? ErrorType, string? ErrorMessage)
{
    public override string ToString() => $"{Template}/{Conversation}";
}
