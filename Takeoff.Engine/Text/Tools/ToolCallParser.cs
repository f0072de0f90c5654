using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Takeoff.Engine.Text.Tools;

/// <summary>
/// Finds the tool calls in an answer, in any of the formats templates teach: Hermes/Qwen <c>&lt;tool_call&gt;</c>
/// blocks, Mistral's <c>[TOOL_CALLS][...]</c>, Llama 3.x's <c>&lt;|python_tag|&gt;</c> or bare <c>{"name", "parameters"}</c>
/// object, and the generic <c>{"tool_calls": [...]}</c>. One parser for all of them: a model answers in its own
/// format, and no plain answer starts with these markers by accident. A call must name one of the tools offered;
/// anything that does not parse as calls stays text.
/// </summary>
public static class ToolCallParser
{
    /// <summary>Where a call can start anywhere in an answer (a bare JSON object counts only at its start).</summary>
    public static readonly IReadOnlyList<string> Triggers = ["<tool_call>", "[TOOL_CALLS]", "<|python_tag|>"];

    /// <summary>The text outside the calls (null when there is none but whitespace) and the calls, in order.</summary>
    public static (string? Content, IReadOnlyList<ChatToolCall> Calls) Parse(string text, IReadOnlyCollection<string> toolNames)
    {
        var calls = new List<ChatToolCall>();
        var content = new StringBuilder();
        if (!TryParse(text, toolNames, calls, content) || calls.Count == 0)
            return (text.Length == 0 ? null : text, []);
        var rest = content.ToString().Trim();
        return (rest.Length == 0 ? null : rest, calls);
    }

    /// <summary>Where the part of <paramref name="text"/> that may hold calls starts, or -1.</summary>
    public static int CallStart(string text)
    {
        var first = text.Length - text.TrimStart().Length;
        if (first < text.Length && text[first] == '{')
            return first;
        var start = -1;
        foreach (var trigger in Triggers)
        {
            var at = text.IndexOf(trigger, StringComparison.Ordinal);
            if (at >= 0 && (start < 0 || at < start))
                start = at;
        }
        return start;
    }

    private static bool TryParse(string text, IReadOnlyCollection<string> names, List<ChatToolCall> calls, StringBuilder content)
    {
        var start = CallStart(text);
        if (start < 0)
            return false;
        content.Append(text, 0, start);
        var rest = text[start..];
        if (rest.StartsWith("<tool_call>", StringComparison.Ordinal))
            return Hermes(rest, names, calls, content);
        if (rest.StartsWith("[TOOL_CALLS]", StringComparison.Ordinal))
            return JsonCalls(rest["[TOOL_CALLS]".Length..], names, calls, content);
        if (rest.StartsWith("<|python_tag|>", StringComparison.Ordinal))
            return JsonCalls(rest["<|python_tag|>".Length..], names, calls, content);
        return JsonCalls(rest, names, calls, content);
    }

    private static bool Hermes(string text, IReadOnlyCollection<string> names, List<ChatToolCall> calls, StringBuilder content)
    {
        var at = 0;
        while (true)
        {
            var open = text.IndexOf("<tool_call>", at, StringComparison.Ordinal);
            if (open < 0)
            {
                content.Append(text, at, text.Length - at);
                return true;
            }
            content.Append(text, at, open - at);
            var body = open + "<tool_call>".Length;
            var close = text.IndexOf("</tool_call>", body, StringComparison.Ordinal);
            var json = close < 0 ? text[body..] : text[body..close];
            if (!TryReadValue(json.Trim(), out var value, out var consumed) || json.Trim()[consumed..].Trim().Length > 0
                || Call(value, names) is not { } call)
                return false;
            calls.Add(call);
            if (close < 0)
                return true;
            at = close + "</tool_call>".Length;
        }
    }

    /// <summary>One call object, a list of them, or {"tool_calls": [...]}, possibly followed by text (or more objects after ';').</summary>
    private static bool JsonCalls(string text, IReadOnlyCollection<string> names, List<ChatToolCall> calls, StringBuilder content)
    {
        var rest = text.TrimStart();
        while (true)
        {
            if (!TryReadValue(rest, out var value, out var consumed))
                return false;
            var items = value switch
            {
                JsonObject o when o["tool_calls"] is JsonArray list => list.ToArray(),
                JsonArray list => list.ToArray(),
                _ => [value],
            };
            if (items.Length == 0)
                return false;
            foreach (var item in items)
            {
                if (Call(item, names) is not { } call)
                    return false;
                calls.Add(call);
            }
            rest = rest[consumed..].TrimStart();
            if (rest.StartsWith(';'))
            {
                rest = rest[1..].TrimStart();
                continue;
            }
            content.Append(rest);
            return true;
        }
    }

    private static ChatToolCall? Call(JsonNode? node, IReadOnlyCollection<string> names)
    {
        if (node is not JsonObject call)
            return null;
        var function = call["function"] as JsonObject ?? call;
        if (function["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name) || !names.Contains(name))
            return null;
        var arguments = function["arguments"] ?? function["parameters"];
        string json;
        switch (arguments)
        {
            case null:
                json = "{}";
                break;
            case JsonObject:
                json = arguments.ToJsonString();
                break;
            case JsonValue text when text.TryGetValue<string>(out var s) && IsJsonObject(s):
                json = s;
                break;
            default:
                return null;
        }
        var id = call["id"] is JsonValue idValue && idValue.TryGetValue<string>(out var given) && given.Length > 0 ? given : NewId();
        return new ChatToolCall(id, name, json);
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Reads the first JSON value of <paramref name="text"/>; <paramref name="consumed"/> is its length in characters.</summary>
    private static bool TryReadValue(string text, out JsonNode? value, out int consumed)
    {
        value = null;
        consumed = 0;
        if (text.Length == 0 || text[0] is not ('{' or '['))
            return false;
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 128 });
        try
        {
            value = JsonNode.Parse(ref reader);
        }
        catch (JsonException)
        {
            return false;
        }
        consumed = Encoding.UTF8.GetCharCount(bytes.AsSpan(0, (int)reader.BytesConsumed));
        return true;
    }

    /// <summary>An OpenAI-style call id: "call_" and 24 letters or digits.</summary>
    public static string NewId()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return "call_" + RandomNumberGenerator.GetString(alphabet, 24);
    }
}
