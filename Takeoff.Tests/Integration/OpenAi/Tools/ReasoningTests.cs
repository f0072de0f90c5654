using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration.OpenAi.Tools;

/// <summary>
/// A think block goes to reasoning_content, not content. The random-weight model is made to write one with the grammar
/// extension, so the split is observed on the wire, whole and streamed.
/// </summary>
internal sealed class ReasoningTests
{
    private static JsonObject Body(bool stream) => new()
    {
        ["model"] = "qwen",
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "What is 2 + 3?" }),
        ["grammar"] = "root ::= \"<think>\" [a-z ]{1,12} \"</think>\" \"The answer is \" [0-9]",
        ["max_tokens"] = 64,
        ["temperature"] = 0.8,
        ["seed"] = 7,
        ["stream"] = stream,
    };

    [Test]
    public async Task ThinkBlock_IsReasoningContent_WholeAndStreamedAlike()
    {
        var whole = await ToolServer.Instance.Client.PostJsonAsync("/v1/chat/completions", Body(stream: false));
        var message = whole["choices"]![0]!["message"]!;

        Assert.That(message["reasoning_content"]!.GetValue<string>(), Does.Match("^[a-z ]{1,12}$"));
        Assert.That(message["content"]!.GetValue<string>(), Does.Match("^The answer is [0-9]$"));

        using var response = await ToolServer.Instance.Client.PostAsJsonAsync("/v1/chat/completions", Body(stream: true));
        var deltas = (await response.Content.ReadAsStringAsync()).Split('\n')
            .Where(line => line.StartsWith("data: {", StringComparison.Ordinal))
            .SelectMany(line => JsonNode.Parse(line["data: ".Length..])!["choices"]!.AsArray())
            .Select(choice => choice!["delta"]!).ToArray();
        Assert.That(string.Concat(deltas.Select(d => d["reasoning_content"]?.GetValue<string>())), Is.EqualTo(message["reasoning_content"]!.GetValue<string>()));
        Assert.That(string.Concat(deltas.Select(d => d["content"]?.GetValue<string>())), Is.EqualTo(message["content"]!.GetValue<string>()));
    }
}
