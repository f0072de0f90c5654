using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration.OpenAi.Tools;

/// <summary>
/// Generated tokens per second at 16 concurrent clients on the Qwen2 vocabulary model: forced tool calls (grammar
/// from the tools' schemas) against free generation. A measurement, not a check: run it by name.
/// </summary>
[Explicit("A measurement; run it by name")]
internal sealed class ToolThroughputBench
{
    private const int Clients = 16;
    private const int RequestsPerClient = 2;

    [Test]
    public async Task ForcedToolCallsVersusFreeGeneration_16Clients()
    {
        var entry = TakeoffServer.Stories260K("qwen16", new { consumer_group = "qwen16", max_batch_size = Clients, context_size = 1024, threads = 2 });
        entry["file"] = "bench-qwen2-vocab-q8_0.gguf";
        await using var server = await TakeoffServer.StartWithModelsAsync([entry]);

        var tools = JsonNode.Parse("""
            [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object",
              "properties": {"city": {"type": "string", "maxLength": 24}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                             "days": {"type": "integer", "minimum": 1, "maximum": 7}}, "required": ["city", "days"]}}}]
            """)!;
        JsonObject Body(bool forced, int seed)
        {
            var body = new JsonObject
            {
                ["model"] = "qwen16",
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "What's the weather in Paris this week?" }),
                ["max_tokens"] = 48, ["temperature"] = 0.8, ["seed"] = seed,
            };
            if (forced)
            {
                body["tools"] = tools.DeepClone();
                body["tool_choice"] = "required";
                body["parallel_tool_calls"] = false;
            }
            else
            {
                body["min_tokens"] = 48;
            }
            return body;
        }

        // Constrained steps on a shared 2-core machine can be slow; the bench measures, it does not time out.
        using var http = new HttpClient { BaseAddress = server.Client.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        async Task<(double TokensPerSecond, int Tokens)> RunAsync(bool forced)
        {
            var clock = Stopwatch.StartNew();
            var counts = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async client =>
            {
                var tokens = 0;
                for (var i = 0; i < RequestsPerClient; i++)
                {
                    using var response = await http.PostAsJsonAsync("/v1/chat/completions", Body(forced, client * 100 + i));
                    var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    Assert.That((int)response.StatusCode, Is.EqualTo(200), answer.ToJsonString());
                    tokens += answer["usage"]!["completion_tokens"]!.GetValue<int>();
                }
                return tokens;
            }));
            return (counts.Sum() / clock.Elapsed.TotalSeconds, counts.Sum());
        }

        foreach (var forced in new[] { false, true, false, true })
        {
            var (rate, tokens) = await RunAsync(forced);
            TestContext.Out.WriteLine($"{(forced ? "forced tool calls" : "free generation")}: {rate:F0} tokens/s ({tokens} tokens, {Clients} clients × {RequestsPerClient} requests)");
        }
    }
}
