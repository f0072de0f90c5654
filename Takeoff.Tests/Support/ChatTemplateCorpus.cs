using System.Globalization;
using System.Text.Json.Nodes;

namespace Takeoff.Tests.Support;

/// <summary>
/// The chat-template corpus (Engine/Text/Jinja/Golden), read from beside the test assembly: the 60 shared templates,
/// the conversations they are rendered with, and what Jinja2 rendered (scripts/render-chat-templates.py writes it).
/// The variables are built here exactly as that script builds them, so both engines see the same input.
/// </summary>
internal static class ChatTemplateCorpus
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Engine", "Text", "Jinja", "Golden");

    private static readonly Lazy<JsonObject> ConversationFile = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "conversations.json")))!.AsObject());

    private static readonly Lazy<IReadOnlyList<ChatTemplateCase>> AllCases = new(Load);

    /// <summary>The fixed "now" the golden files were rendered at (strftime_now reads it).</summary>
    public static DateTimeOffset Now => new(
        DateTime.Parse(ConversationFile.Value["now"]!.GetValue<string>(), CultureInfo.InvariantCulture), TimeSpan.Zero);

    public static IReadOnlyList<ChatTemplateCase> Cases() => AllCases.Value;

    private static List<ChatTemplateCase> Load()
    {
        var corpus = ConversationFile.Value;
        var conversations = corpus["conversations"]!.AsArray().Select(c => c!.AsObject()).ToDictionary(c => c["name"]!.GetValue<string>());
        var cases = new List<ChatTemplateCase>();
        foreach (var file in Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file) is "conversations.json" or "expressions.json")
                continue;
            var golden = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var template = golden["template"]!.GetValue<string>();
            var source = golden["source"]!.GetValue<string>();
            foreach (var item in golden["cases"]!.AsArray())
            {
                var name = item!["conversation"]!.GetValue<string>();
                var error = item["error"];
                cases.Add(new ChatTemplateCase(template, name, source, Variables(corpus, conversations[name]),
                    item["output"]?.GetValue<string>(), error?["type"]!.GetValue<string>(), error?["message"]!.GetValue<string>()));
            }
        }

        return cases;
    }

    private static JsonObject Variables(JsonObject corpus, JsonObject conversation)
    {
        var variables = new JsonObject
        {
            ["messages"] = conversation["messages"]!.DeepClone(),
            ["add_generation_prompt"] = conversation["add_generation_prompt"]!.DeepClone(),
            ["bos_token"] = corpus["bos_token"]!.DeepClone(),
            ["eos_token"] = corpus["eos_token"]!.DeepClone(),
        };
        if (conversation["tools"] is { } tools)
            variables["tools"] = corpus["toolsets"]![tools.GetValue<string>()]!.DeepClone();
        if (conversation["extra"] is JsonObject extra)
        {
            foreach (var (key, value) in extra)
                variables[key] = value?.DeepClone();
        }

        return variables;
    }
}
