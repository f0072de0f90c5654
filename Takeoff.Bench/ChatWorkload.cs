using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Takeoff.Api;
using Takeoff.Engine;
using Takeoff.Engine.Generation;

namespace Takeoff.Bench;

/// <summary>
/// The multi-turn chat workload: users who share one long system prompt hold 4-turn conversations through
/// /v1/chat/completions (streamed). Each turn's prompt starts with the whole conversation so far, which is what a
/// prompt cache is for: time to first token of turns 2-4, with the cache, without it, and on llama-server.
/// </summary>
internal static class ChatWorkload
{
    private const int Turns = 4;
    private const int AnswerTokens = 32;
    private const int ContextPerSlot = 2560;

    public static async Task RunAsync(string modelPath, int users, int? threads, string? llamaServer)
    {
        var catalog = Path.Combine(Path.GetTempPath(), $"takeoff-chat-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(catalog, JsonSerializer.Serialize(new
        {
            models = new[] { new { name = "bench", file = Path.GetFileName(modelPath), context_size = ContextPerSlot,
                max_batch_size = users, max_queue = users, threads, chat_template = "chatml" } },
        }));
        await using var app = TakeoffApp.Create(["--port", "0", "--openai-port", "0", "--models-dir", Path.GetDirectoryName(modelPath)!,
            "--models-file", catalog, "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        var engine = app.Services.GetRequiredService<InferenceEngine>();
        while (!engine.IsReady)
            await Task.Delay(50);
        // About 1,500 tokens of this model's vocabulary.
        const string Sentence = "Lily and Tom went to the park to play with a big red ball. ";
        var perSentence = engine.Tokenize(engine.Readers().Single().Id, new Prompt.Text(Sentence)).Ids.Count;
        var system = string.Concat(Enumerable.Repeat(Sentence, 1500 / perSentence));
        using var takeoff = new HttpClient { BaseAddress = app.InferenceUrl(), Timeout = TimeSpan.FromMinutes(10) };

        var runs = new List<(string Mode, Run Run)>
        {
            ("takeoff, cache", await RunUsersAsync(takeoff, users, system, cachePrompt: true)),
            ("takeoff, no cache", await RunUsersAsync(takeoff, users, system, cachePrompt: false)),
        };
        if (llamaServer is not null)
        {
            await using var llama = await LlamaServer.StartAsync(llamaServer, modelPath, users, ContextPerSlot,
                threads ?? Environment.ProcessorCount, chatTemplate: "chatml");
            using var client = new HttpClient { BaseAddress = llama.Url, Timeout = TimeSpan.FromMinutes(10) };
            runs.Add(("llama-server, cache", await RunUsersAsync(client, users, system, cachePrompt: true)));
        }
        await app.StopAsync();
        File.Delete(catalog);

        Console.WriteLine($"chat workload: {users} users, a shared system prompt of ~1,500 tokens, {Turns} turns of {AnswerTokens} tokens each\n");
        Console.WriteLine("| server | TTFT turn 1 p50 / p95 ms | TTFT turns 2-4 p50 / p95 ms | generated tokens/s |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var (mode, run) in runs)
        {
            var first = run.FirstTokens.Where(t => t.Turn == 0).Select(t => t.Ms).ToArray();
            var later = run.FirstTokens.Where(t => t.Turn > 0).Select(t => t.Ms).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {mode} | {Percentiles.Of(first, 50):F0} / {Percentiles.Of(first, 95):F0} | {Percentiles.Of(later, 50):F0} / {Percentiles.Of(later, 95):F0} | {run.Tokens / run.Seconds:F0} |"));
        }
    }

    private sealed record Run(IReadOnlyList<(int Turn, double Ms)> FirstTokens, long Tokens, double Seconds);

    private static async Task<Run> RunUsersAsync(HttpClient http, int users, string system, bool cachePrompt)
    {
        var firstTokens = new List<(int, double)>();
        long tokens = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, users).Select(user => Task.Run(async () =>
        {
            var messages = new JsonArray { new JsonObject { ["role"] = "system", ["content"] = system } };
            for (var turn = 0; turn < Turns; turn++)
            {
                messages.Add(new JsonObject { ["role"] = "user", ["content"] = $"User {user} asks for part {turn + 1} of the story." });
                var (answer, firstTokenMs) = await TurnAsync(http, messages, cachePrompt);
                messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = answer });
                lock (firstTokens)
                    firstTokens.Add((turn, firstTokenMs));
                Interlocked.Add(ref tokens, AnswerTokens);
            }
        })));
        return new Run(firstTokens, tokens, clock.Elapsed.TotalSeconds);
    }

    /// <summary>One streamed turn: the answer's text, and when its first content arrived.</summary>
    private static async Task<(string Answer, double FirstTokenMs)> TurnAsync(HttpClient http, JsonArray messages, bool cachePrompt)
    {
        var clock = Stopwatch.StartNew();
        // min_tokens for this server and ignore_eos for llama-server: every answer is exactly AnswerTokens long.
        var body = new JsonObject
        {
            ["messages"] = messages.DeepClone(), ["stream"] = true, ["temperature"] = 0, ["max_tokens"] = AnswerTokens,
            ["min_tokens"] = AnswerTokens, ["ignore_eos"] = true, ["cache_prompt"] = cachePrompt,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) };
        // A fresh connection per turn for both servers: llama-server's HTTP library closes kept-alive ones on its own terms.
        request.Headers.ConnectionClose = true;
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var answer = "";
        double? first = null;
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            if (item.Data == "[DONE]")
                break;
            var content = JsonNode.Parse(item.Data)!["choices"]?.AsArray().FirstOrDefault()?["delta"]?["content"]?.GetValue<string>();
            if (string.IsNullOrEmpty(content))
                continue;
            first ??= clock.Elapsed.TotalMilliseconds;
            answer += content;
        }
        return (answer, first ?? clock.Elapsed.TotalMilliseconds);
    }
}
