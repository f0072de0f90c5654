using System.Text.Json;
using System.Text.Json.Nodes;
using Takeoff.Engine.Text.Tools;

namespace Takeoff.Engine.Text;

/// <summary>
/// Tool calling for templates that know nothing of tools (llama-server's "generic" format, kept simple): the tools
/// are described in the system message, the answer is <c>{"tool_calls": [{"name": ..., "arguments": {...}}]}</c>, and
/// past calls and results become plain assistant and user turns holding that JSON.
/// </summary>
internal static class GenericToolFormat
{
    public static IReadOnlyList<ChatMessage> Flatten(IReadOnlyList<ChatMessage> conversation, ChatTools? offered)
    {
        var messages = conversation.Select(Plain).ToList();
        if (offered is null)
            return messages;
        var instructions = Instructions(offered);
        if (messages is [{ Role: "system" } system, ..])
            messages[0] = system with { Content = (system.Content is { Length: > 0 } text ? text + "\n\n" : "") + instructions };
        else
            messages.Insert(0, new ChatMessage("system", instructions));
        return messages;
    }

    public static string Instructions(ChatTools offered)
    {
        var tools = string.Join("\n", offered.Tools.Select(t => ChatTemplate.ToolJson(t).ToJsonString()));
        return "You can call these tools:\n" + tools + "\n\nTo call tools, answer with only a JSON object " +
               "{\"tool_calls\": [{\"name\": <function-name>, \"arguments\": <args-json-object>}]}; otherwise answer normally.";
    }

    private static ChatMessage Plain(ChatMessage message)
    {
        if (message.ToolCalls is { Count: > 0 } calls)
        {
            var json = new JsonObject
            {
                ["tool_calls"] = new JsonArray(calls.Select(call => (JsonNode)new JsonObject
                {
                    ["name"] = call.Name,
                    ["arguments"] = ParseOrString(call.Arguments),
                    ["id"] = call.Id,
                }).ToArray()),
            };
            return new ChatMessage("assistant", (message.Content is { Length: > 0 } text ? text + "\n" : "") + json.ToJsonString());
        }
        if (message.Role == "tool")
        {
            var json = new JsonObject
            {
                ["tool_response"] = new JsonObject
                {
                    ["tool"] = message.Name,
                    ["tool_call_id"] = message.ToolCallId,
                    ["content"] = message.Content,
                },
            };
            return new ChatMessage("user", json.ToJsonString());
        }
        return message;
    }

    private static JsonNode? ParseOrString(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
