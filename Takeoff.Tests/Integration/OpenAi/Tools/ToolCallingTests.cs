using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Takeoff.Tests.Integration.OpenAi.Tools;

/// <summary>
/// Tool calling on /v1/chat/completions with the shared Qwen2 and Llama 3 vocabulary models. Their weights are random,
/// so a forced call (tool_choice "required" or a named function) is judged on its content — a call of an offered
/// function whose arguments validate against its schema — and a free ("auto") answer on the protocol alone.
/// </summary>
internal sealed class ToolCallingTests
{
    private static HttpClient Client => ToolServer.Instance.Client;

    private static readonly JsonObject WeatherSchema = JsonNode.Parse("""
        {"type": "object", "properties": {
            "city": {"type": "string", "maxLength": 24},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "days": {"type": "integer", "minimum": 1, "maximum": 7}},
         "required": ["city", "days"], "additionalProperties": false}
        """)!.AsObject();

    private static readonly JsonObject SearchSchema = JsonNode.Parse("""
        {"type": "object", "properties": {"query": {"type": "string", "maxLength": 40}, "safe": {"type": "boolean"}},
         "required": ["query"], "additionalProperties": false}
        """)!.AsObject();

    private static JsonArray Tools() => new(
        Tool("get_weather", "The weather in a city.", WeatherSchema),
        Tool("search_web", "Search the web.", SearchSchema));

    private static JsonObject Tool(string name, string description, JsonObject schema) => new()
    {
        ["type"] = "function",
        ["function"] = new JsonObject { ["name"] = name, ["description"] = description, ["parameters"] = schema.DeepClone(), ["strict"] = true },
    };

    private static JsonObject Request(string model, JsonNode toolChoice, bool stream = false, int seed = 1) => new()
    {
        ["model"] = model,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "What's the weather in Paris this week?" }),
        ["tools"] = Tools(),
        ["tool_choice"] = toolChoice,
        // Room for the most parallel calls a forced answer may hold, each with its longest arguments.
        ["max_tokens"] = 1000,
        ["temperature"] = 0.8,
        ["seed"] = seed,
        ["stream"] = stream,
    };

    private static JsonObject Named(string name) => new() { ["type"] = "function", ["function"] = new JsonObject { ["name"] = name } };

    /// <summary>Each call names an offered function and its arguments (a JSON string) validate against that function's schema.</summary>
    private static void AssertValidCalls(JsonArray calls, string? onlyName = null)
    {
        Assert.That(calls, Is.Not.Empty);
        foreach (var call in calls)
        {
            Assert.That(call!["id"]!.GetValue<string>(), Does.StartWith("call_"));
            Assert.That(call["type"]!.GetValue<string>(), Is.EqualTo("function"));
            var name = call["function"]!["name"]!.GetValue<string>();
            Assert.That(name, onlyName is null ? Is.AnyOf("get_weather", "search_web") : Is.EqualTo(onlyName));
            var arguments = call["function"]!["arguments"]!.GetValue<string>();
            var schema = JsonSchema.FromText((name == "get_weather" ? WeatherSchema : SearchSchema).ToJsonString());
            using var document = JsonDocument.Parse(arguments);
            var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.That(result.IsValid, Is.True, $"{name}({arguments}) does not validate");
        }
    }

    [TestCase("qwen")]
    [TestCase("llama3")]
    public async Task Required_AnswerIsACallWithValidArguments(string model)
    {
        for (var seed = 1; seed <= 2; seed++)
        {
            var answer = await Client.PostJsonAsync("/v1/chat/completions", Request(model, "required", seed: seed));

            var choice = answer["choices"]![0]!;
            Assert.That(choice["finish_reason"]!.GetValue<string>(), Is.EqualTo("tool_calls"), answer.ToJsonString());
            AssertValidCalls(choice["message"]!["tool_calls"]!.AsArray());
            Assert.That(answer["system_fingerprint"], Is.Not.Null);
        }
    }

    [TestCase("qwen")]
    [TestCase("llama3")]
    public async Task NamedFunction_Streamed_ToolCallDeltasAssembleIntoAValidCall(string model)
    {
        var request = Request(model, Named("search_web"), stream: true);
        var (chunks, _) = await StreamAsync(request);

        var deltas = chunks.SelectMany(c => c["choices"]!.AsArray())
            .Select(c => c!["delta"]!["tool_calls"]).OfType<JsonArray>().SelectMany(a => a).ToArray();
        Assert.That(deltas, Is.Not.Empty);
        var first = deltas[0]!;
        Assert.That(first["index"]!.GetValue<int>(), Is.EqualTo(0));
        Assert.That(first["id"]!.GetValue<string>(), Does.StartWith("call_"));
        Assert.That(first["function"]!["name"]!.GetValue<string>(), Is.EqualTo("search_web"));
        var calls = new JsonArray(deltas.GroupBy(d => d!["index"]!.GetValue<int>()).Select(g => (JsonNode)new JsonObject
        {
            ["id"] = g.First()!["id"]!.GetValue<string>(),
            ["type"] = "function",
            ["function"] = new JsonObject
            {
                ["name"] = g.First()!["function"]!["name"]!.GetValue<string>(),
                ["arguments"] = string.Concat(g.Select(d => d!["function"]!["arguments"]!.GetValue<string>())),
            },
        }).ToArray());
        AssertValidCalls(calls, "search_web");
        var finish = chunks.SelectMany(c => c["choices"]!.AsArray()).Select(c => c!["finish_reason"]).OfType<JsonValue>().Single();
        Assert.That(finish.GetValue<string>(), Is.EqualTo("tool_calls"));

        // The same request without streaming makes the same call (same seed).
        request["stream"] = false;
        var whole = await Client.PostJsonAsync("/v1/chat/completions", request);
        var call = whole["choices"]![0]!["message"]!["tool_calls"]![0]!["function"]!;
        Assert.That(call["arguments"]!.GetValue<string>(), Is.EqualTo(calls[0]!["function"]!["arguments"]!.GetValue<string>()));
    }

    [Test]
    public async Task ParallelToolCallsFalse_ExactlyOneCall()
    {
        for (var seed = 1; seed <= 4; seed++)
        {
            var request = Request("qwen", "required", seed: seed);
            request["parallel_tool_calls"] = false;
            request["temperature"] = 1.5;

            var answer = await Client.PostJsonAsync("/v1/chat/completions", request);

            var calls = answer["choices"]![0]!["message"]!["tool_calls"]!.AsArray();
            Assert.That(calls, Has.Count.EqualTo(1));
            AssertValidCalls(calls);
        }
    }

    [TestCase("qwen")]
    [TestCase("llama3")]
    public async Task RoundTrip_ToolResultRenderedByTheTemplate_ThenANewAnswer(string model)
    {
        var first = await Client.PostJsonAsync("/v1/chat/completions", Request(model, Named("get_weather")));
        var message = first["choices"]![0]!["message"]!;
        var call = message["tool_calls"]![0]!;
        var messages = new JsonArray(
            new JsonObject { ["role"] = "user", ["content"] = "What's the weather in Paris this week?" },
            new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray(call.DeepClone()) },
            new JsonObject { ["role"] = "tool", ["tool_call_id"] = call["id"]!.GetValue<string>(), ["name"] = "get_weather", ["content"] = "{\"sky\": \"sunny-xyzzy\"}" });

        var prompt = (await Client.PostJsonAsync("/apply-template", new JsonObject
        {
            ["model"] = model, ["messages"] = messages.DeepClone(), ["tools"] = Tools(),
        }))["prompt"]!.GetValue<string>();
        Assert.That(prompt, Does.Contain("sunny-xyzzy"));
        Assert.That(prompt, Does.Contain(JsonNode.Parse(call["function"]!["arguments"]!.GetValue<string>())!["city"]!.GetValue<string>()));

        var second = await Client.PostJsonAsync("/v1/chat/completions", new JsonObject
        {
            ["model"] = model, ["messages"] = messages, ["tools"] = Tools(), ["tool_choice"] = "none", ["max_tokens"] = 8, ["temperature"] = 0,
        });
        var choice = second["choices"]![0]!;
        Assert.That(choice["finish_reason"]!.GetValue<string>(), Is.AnyOf("stop", "length"));
        Assert.That(choice["message"]!["tool_calls"], Is.Null);
    }

    [TestCase("qwen")]
    [TestCase("llama3")]
    public async Task Auto_StreamedAndWholeAnswersAgree(string model)
    {
        var request = Request(model, "auto");
        request["temperature"] = 0;
        request["max_tokens"] = 24;

        var whole = await Client.PostJsonAsync("/v1/chat/completions", request);
        request["stream"] = true;
        var (chunks, _) = await StreamAsync(request);

        var choice = whole["choices"]![0]!;
        var finish = choice["finish_reason"]!.GetValue<string>();
        Assert.That(finish, Is.AnyOf("stop", "length", "tool_calls"));
        var streamedContent = string.Concat(chunks.SelectMany(c => c["choices"]!.AsArray())
            .Select(c => c!["delta"]!["content"]?.GetValue<string>() ?? ""));
        Assert.That(streamedContent, Is.EqualTo(choice["message"]!["content"]?.GetValue<string>() ?? ""));
        if (finish == "tool_calls")
            AssertValidCalls(choice["message"]!["tool_calls"]!.AsArray());
    }

    /// <summary>
    /// "auto", and an answer that opens a call (here a prefill opens it, as an agent that steers the model into a call
    /// does; the random model would write anything after it): from the opening on the call grammar applies, so the
    /// call completes, valid, streamed or not.
    /// </summary>
    [TestCase("qwen", "<tool_call>\n", false)]
    [TestCase("qwen", "<tool_call>\n", true)]
    [TestCase("llama3", "{\"name\": ", false)]
    [TestCase("llama3", "{\"name\": ", true)]
    public async Task Auto_AnswerOpensACall_GrammarCompletesAValidCall(string model, string opening, bool stream)
    {
        var request = Request(model, "auto", stream);
        request["messages"]!.AsArray().Add(new JsonObject { ["role"] = "assistant", ["content"] = opening });

        var (finish, calls) = stream ? await StreamedCallsAsync(request) : WholeCalls(await Client.PostJsonAsync("/v1/chat/completions", request));

        Assert.That(finish, Is.EqualTo("tool_calls"));
        AssertValidCalls(calls);
    }

    /// <summary>
    /// A complete call, then a second one cut off by the token limit (the conversation wrote the first and opened the
    /// second): the answer ends as "length", not "tool_calls", streamed or not, so that no client runs the cut-off call.
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public async Task CallCutOffByTheTokenLimit_FinishesAsLength(bool stream)
    {
        var request = Request("qwen", "auto", stream);
        request["max_tokens"] = 3;
        request["messages"]!.AsArray().Add(new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"days\": 3}}\n</tool_call>\n<tool_call>\n{\"name\": \"search_web\", \"arguments\": {\"query\": \"",
        });

        var (finish, calls) = stream ? await StreamedCallsAsync(request) : WholeCalls(await Client.PostJsonAsync("/v1/chat/completions", request));

        Assert.That(finish, Is.EqualTo("length"));
        AssertValidCalls(new JsonArray(calls[0]!.DeepClone()), "get_weather");
        // A stream has sent the cut-off call's pieces by then; the whole answer leaves it out.
        Assert.That(calls, Has.Count.EqualTo(stream ? 2 : 1));
    }

    [Test]
    public async Task EachRefusal_ThenANormalRequestIsServed()
    {
        var bad = new[]
        {
            Request("qwen", Named("get_time")),
            new JsonObject { ["model"] = "qwen", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hi" }), ["tools"] = new JsonArray(new JsonObject { ["type"] = "function" }) },
            new JsonObject
            {
                ["model"] = "qwen", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hi" }), ["tool_choice"] = "required",
                ["tools"] = new JsonArray(Tool("f", "x", JsonNode.Parse("""{"type": "object", "properties": {"n": {"type": "number", "multipleOf": 3}}}""")!.AsObject())),
            },
        };
        foreach (var (body, param) in bad.Zip(new[] { "tool_choice", "tools", "tools" }))
        {
            using var response = await Client.PostAsJsonAsync("/v1/chat/completions", body);
            var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
            Assert.That((int)response.StatusCode, Is.EqualTo(400), error.ToJsonString());
            Assert.That(error["param"]!.GetValue<string>(), Is.EqualTo(param));

            var fine = await Client.PostJsonAsync("/v1/chat/completions", Request("qwen", "required"));
            Assert.That(fine["choices"]![0]!["finish_reason"]!.GetValue<string>(), Is.EqualTo("tool_calls"));
        }
    }

    [Test]
    public async Task ThousandsOfTools_RefusedQuickly_ThenANormalRequestIsServed()
    {
        var body = Request("qwen", "required");
        body["tools"] = new JsonArray(Enumerable.Range(0, 3000)
            .Select(i => (JsonNode)Tool($"tool_{i}", "A tool among many.", WeatherSchema)).ToArray());
        var clock = System.Diagnostics.Stopwatch.StartNew();

        using var response = await Client.PostAsJsonAsync("/v1/chat/completions", body);

        // Bounded before any work that scales with them reaches the loop: the template's output, the prompt's bytes,
        // the grammar's cost. Generous, so that only a stall fails it.
        Assert.That((int)response.StatusCode, Is.EqualTo(400), await response.Content.ReadAsStringAsync());
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        var fine = await Client.PostJsonAsync("/v1/chat/completions", Request("qwen", "required"));
        Assert.That(fine["choices"]![0]!["finish_reason"]!.GetValue<string>(), Is.EqualTo("tool_calls"));
    }

    /// <summary>"auto" builds its grammar at admission too: thousands of tools are answered or refused at once, never a stall.</summary>
    [Test]
    public async Task ThousandsOfTools_Auto_AnsweredOrRefusedQuickly_ThenANormalRequestIsServed()
    {
        var body = Request("qwen", "auto");
        body["max_tokens"] = 8;
        body["tools"] = new JsonArray(Enumerable.Range(0, 3000)
            .Select(i => (JsonNode)Tool($"tool_{i}", "A tool among many.", WeatherSchema)).ToArray());
        var clock = System.Diagnostics.Stopwatch.StartNew();

        using var response = await Client.PostAsJsonAsync("/v1/chat/completions", body);

        Assert.That((int)response.StatusCode, Is.AnyOf(200, 400), await response.Content.ReadAsStringAsync());
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        var fine = await Client.PostJsonAsync("/v1/chat/completions", Request("qwen", "required"));
        Assert.That(fine["choices"]![0]!["finish_reason"]!.GetValue<string>(), Is.EqualTo("tool_calls"));
    }

    private static (string Finish, JsonArray Calls) WholeCalls(JsonNode answer)
    {
        var choice = answer["choices"]![0]!;
        return (choice["finish_reason"]!.GetValue<string>(), choice["message"]!["tool_calls"]?.AsArray() ?? []);
    }

    /// <summary>A streamed answer's finish reason and its tool_calls deltas assembled by index, as the SDKs assemble them.</summary>
    private static async Task<(string Finish, JsonArray Calls)> StreamedCallsAsync(JsonObject body)
    {
        var (chunks, _) = await StreamAsync(body);
        var deltas = chunks.SelectMany(c => c["choices"]!.AsArray())
            .Select(c => c!["delta"]!["tool_calls"]).OfType<JsonArray>().SelectMany(a => a).ToArray();
        var calls = new JsonArray(deltas.GroupBy(d => d!["index"]!.GetValue<int>()).Select(g => (JsonNode)new JsonObject
        {
            ["id"] = g.First()!["id"]!.GetValue<string>(),
            ["type"] = "function",
            ["function"] = new JsonObject
            {
                ["name"] = g.First()!["function"]!["name"]!.GetValue<string>(),
                ["arguments"] = string.Concat(g.Select(d => d!["function"]!["arguments"]?.GetValue<string>() ?? "")),
            },
        }).ToArray());
        var finish = chunks.SelectMany(c => c["choices"]!.AsArray()).Select(c => c!["finish_reason"]).OfType<JsonValue>().Single();
        return (finish.GetValue<string>(), calls);
    }

    private static async Task<(List<JsonNode> Chunks, string Raw)> StreamAsync(JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) };
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), raw);
        var chunks = new List<JsonNode>();
        foreach (var line in raw.Split('\n'))
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]")
                continue;
            chunks.Add(JsonNode.Parse(line["data: ".Length..])!);
        }
        Assert.That(raw.TrimEnd(), Does.EndWith("data: [DONE]"));
        return (chunks, raw);
    }
}
