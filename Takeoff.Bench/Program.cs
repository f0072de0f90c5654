using System.Net.Http.Json;
using System.Text.Json;
using LLama;
using LLama.Common;
using LLama.Sampling;
using Microsoft.Extensions.DependencyInjection;
using Takeoff.Api;
using Takeoff.Bench;
using Takeoff.Engine;
using Takeoff.Engine.Generation;

// Modes: server (/generate_stream over HTTP), chat (the same with use_chat_template), v1 (/v1/chat/completions streamed,
// the same templated prompt as chat), engine (the scheduler in process), naive (StatelessExecutor, one at a time).
// llama (with --llama-server PATH): the same request to llama.cpp's llama-server (/completion, streamed), same slots.
// Usage: Takeoff.Bench --model PATH [--concurrency 1,4,16,64] [--tokens 128] [--waves 2] [--threads N] [--out bench.json]
//        [--skip-naive] [--llama-server PATH] [--constrained]
// --constrained adds free and schema: /generate sampled at temperature 1, without and with a medium JSON schema;
// --constrained regex uses a regex of words instead (for models whose vocabulary cannot write JSON's punctuation).
var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.a[2..], p => p.i + 1 < args.Length && !args[p.i + 1].StartsWith("--", StringComparison.Ordinal) ? args[p.i + 1] : "true");
// Takeoff.Bench soak --url URL --pid PID [--minutes 2] [--clients 64] [--hostile 0.05]: mixed traffic, a share of it the
// hardening probes, against a running server (scripts/soak.sh).
if (args.FirstOrDefault() == "soak")
{
    return await Soak.RunAsync(new Uri(options["url"]), int.Parse(options["pid"], System.Globalization.CultureInfo.InvariantCulture),
        TimeSpan.FromMinutes(double.Parse(options.GetValueOrDefault("minutes") ?? "2", System.Globalization.CultureInfo.InvariantCulture)),
        int.Parse(options.GetValueOrDefault("clients") ?? "64", System.Globalization.CultureInfo.InvariantCulture),
        double.Parse(options.GetValueOrDefault("hostile") ?? "0.05", System.Globalization.CultureInfo.InvariantCulture));
}
// Takeoff.Bench templates [--golden DIR] [--templates DIR]: µs per chat-template render with tools (largest templates).
if (args.FirstOrDefault() == "templates")
    return TemplateBench.Run(options);
// Takeoff.Bench native --model PATH [--tokens 128] [--rounds 5] [--threads N] [--llama-bench PATH]: the native decode
// alone, LLamaSharp's library in process against llama-bench, alternated.
if (args.FirstOrDefault() == "native")
    return NativeDecodeBench.Run(options);
// Takeoff.Bench constrained --model PATH [--runs 9]: a greedy choice's sampling alone under a JSON schema, ms a token.
if (args.FirstOrDefault() == "constrained")
    return ConstrainedSamplingBench.Run(options);
// Takeoff.Bench quantization --model PATH [--types q8_0,q4_0] [--threads N]: size, load, quality and speed per type.
if (args.FirstOrDefault() == "quantization")
    return await QuantizationBench.RunAsync(options);

var modelPath = Path.GetFullPath(options.GetValueOrDefault("model") ?? throw new ArgumentException("--model PATH is required"));
// --workload chat: the multi-turn chat workload (prompt cache on, off, and llama-server), instead of the throughput runs.
if (options.GetValueOrDefault("workload") == "chat")
{
    await ChatWorkload.RunAsync(modelPath, int.Parse(options.GetValueOrDefault("users") ?? "16", System.Globalization.CultureInfo.InvariantCulture),
        options.TryGetValue("threads", out var chatThreads) ? int.Parse(chatThreads, System.Globalization.CultureInfo.InvariantCulture) : null,
        options.GetValueOrDefault("llama-server"));
    return 0;
}

var levels = (options.GetValueOrDefault("concurrency") ?? "1,4,16,64").Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
var tokens = int.Parse(options.GetValueOrDefault("tokens") ?? "128", System.Globalization.CultureInfo.InvariantCulture);
var waves = int.Parse(options.GetValueOrDefault("waves") ?? "2", System.Globalization.CultureInfo.InvariantCulture);
var output = options.GetValueOrDefault("out") ?? "bench.json";
int? threads = options.TryGetValue("threads", out var t) ? int.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : null;
const string Prompt = "Once upon a time";
var contextSize = tokens + 64;

// The real server, configured so that every client has a slot.
var catalog = Path.Combine(Path.GetTempPath(), $"takeoff-bench-{Guid.NewGuid():N}.json");
await File.WriteAllTextAsync(catalog, JsonSerializer.Serialize(new
{
    // chatml: /v1/chat/completions needs a chat template, and the benchmark models carry none.
    models = new[] { new { name = "bench", file = Path.GetFileName(modelPath), context_size = contextSize,
        max_batch_size = levels.Max(), max_queue = levels.Max() * waves, threads, chat_template = "chatml" } },
}));
var app = TakeoffApp.Create(["--port", "0", "--openai-port", "0", "--models-dir", Path.GetDirectoryName(modelPath)!, "--models-file", catalog,
    "--Logging:LogLevel:Default=Warning"]);
await app.StartAsync();
var engine = app.Services.GetRequiredService<InferenceEngine>();
while (!engine.IsReady)
    await Task.Delay(50);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 })
{
    BaseAddress = app.InferenceUrl(), Timeout = TimeSpan.FromMinutes(10),
};

// The yardstick, when given: llama-server with as many slots, the same context per slot and as many threads.
await using var llama = options.TryGetValue("llama-server", out var llamaBinary)
    ? await LlamaServer.StartAsync(llamaBinary, modelPath, levels.Max(), contextSize, threads ?? Environment.ProcessorCount)
    : null;
using var llamaHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 })
{
    BaseAddress = llama?.Url, Timeout = TimeSpan.FromMinutes(10),
};

// The naive baseline: LLamaSharp's StatelessExecutor, one request at a time (as LLamaSharp's web sample serves).
var naiveParams = new ModelParams(modelPath) { ContextSize = (uint)contextSize, GpuLayerCount = 0, Threads = threads ?? Environment.ProcessorCount };
using var naiveWeights = LLamaWeights.LoadFromFile(naiveParams);
var naive = new StatelessExecutor(naiveWeights, naiveParams);
using var oneAtATime = new SemaphoreSlim(1);

Task<int> ViaHttp(Action firstToken) => ViaTakeoff(firstToken, chatTemplate: false);

// The Takeoff twin of a chat request: the same templated prompt as the v1 mode, so the two differ only in API.
Task<int> ViaHttpChat(Action firstToken) => ViaTakeoff(firstToken, chatTemplate: true);

async Task<int> ViaTakeoff(Action firstToken, bool chatTemplate)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "/generate_stream")
    {
        Content = JsonContent.Create(new { text = Prompt, max_new_tokens = tokens, min_new_tokens = tokens, use_chat_template = chatTemplate }),
    };
    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    response.EnsureSuccessStatusCode();
    await using var stream = await response.Content.ReadAsStreamAsync();
    var buffer = new byte[4096];
    while (await stream.ReadAsync(buffer) > 0)
        firstToken();
    return tokens; // min_new_tokens = max_new_tokens: exactly this many
}

// The same request through the OpenAI-compatible API: streamed chat, the prompt as the one user turn.
async Task<int> ViaOpenAi(Action firstToken)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
    {
        Content = JsonContent.Create(new
        {
            model = "primary", messages = new[] { new { role = "user", content = Prompt } }, stream = true,
            temperature = 0, max_tokens = tokens, min_tokens = tokens,
        }),
    };
    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    response.EnsureSuccessStatusCode();
    await using var stream = await response.Content.ReadAsStreamAsync();
    var buffer = new byte[4096];
    var tokenSeen = false;
    int read;
    while ((read = await stream.ReadAsync(buffer)) > 0)
    {
        // The role chunk comes before any token: time the first token by the first content delta.
        if (!tokenSeen && buffer.AsSpan(0, read).IndexOf("\"delta\":{\"content\":"u8) >= 0)
        {
            tokenSeen = true;
            firstToken();
        }
    }
    return tokens;
}

// The same greedy request to llama-server: /completion streamed, exactly as many tokens (ignore_eos).
var llamaSteps = new LlamaServerTimings();
async Task<int> ViaLlamaServer(Action firstToken)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "/completion")
    {
        Content = JsonContent.Create(new { prompt = Prompt, n_predict = tokens, ignore_eos = true, temperature = 0, top_k = 1, stream = true }),
    };
    // llama-server's HTTP library closes kept-alive connections on its own terms; a pooled one it closed fails the
    // next request. A fresh connection per request costs a loopback handshake, which is nothing beside 128 tokens.
    request.Headers.ConnectionClose = true;
    using var response = await llamaHttp.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    response.EnsureSuccessStatusCode();
    await using var stream = await response.Content.ReadAsStreamAsync();
    await llamaSteps.ReadAsync(stream, firstToken);
    return tokens;
}

// --constrained regex: a sentence of 31 to 61 words. llama-server takes no regex: it gets the grammar our converter
// makes of it, the one our server samples under.
const string WordsRegex = "[A-Z][a-z]+( [a-z]+){30,60}\\.";
var llamaRegexGrammar = Takeoff.Engine.Sampling.Constraints.RegexGrammar.ToGbnf(WordsRegex);

// A medium-size schema: a title, six short tags and a rating, about a hundred tokens of JSON.
var mediumSchema = System.Text.Json.Nodes.JsonNode.Parse("""
    { "type": "object", "additionalProperties": false, "required": ["title", "tags", "rating"],
      "properties": { "title": { "type": "string", "maxLength": 40 },
        "tags": { "type": "array", "items": { "type": "string", "maxLength": 12 }, "minItems": 6, "maxItems": 6 },
        "rating": { "type": "integer", "minimum": 1, "maximum": 5 } } }
    """);

// Sampled /generate, free or under the schema; counts the tokens each answer really had (a document ends early).
async Task<int> Sampled(Action firstToken, bool constrained)
{
    var body = new System.Text.Json.Nodes.JsonObject
    {
        ["text"] = Prompt, ["max_new_tokens"] = tokens, ["sampling_temperature"] = 1.0, ["sampling_topk"] = 0, ["return_metadata"] = true,
    };
    if (constrained && options["constrained"] == "regex")
        body["regex_string"] = WordsRegex;
    else if (constrained)
        body["json_schema"] = mediumSchema!.DeepClone();
    using var response = await http.PostAsJsonAsync("/generate", body);
    response.EnsureSuccessStatusCode();
    firstToken();
    var answer = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>();
    return answer!["metadata"]!["generated_tokens"]!.GetValue<int>();
}

// The same sampled request to llama-server (its truncation samplers off, as ours are), free or under the same constraint.
async Task<int> LlamaSampled(Action firstToken, bool constrained)
{
    var body = new System.Text.Json.Nodes.JsonObject
    {
        ["prompt"] = Prompt, ["n_predict"] = tokens, ["temperature"] = 1.0, ["top_k"] = 0, ["top_p"] = 1.0, ["min_p"] = 0.0,
    };
    if (constrained && options["constrained"] == "regex")
        body["grammar"] = llamaRegexGrammar;
    else if (constrained)
        body["json_schema"] = mediumSchema!.DeepClone();
    using var request = new HttpRequestMessage(HttpMethod.Post, "/completion") { Content = JsonContent.Create(body) };
    request.Headers.ConnectionClose = true;
    using var response = await llamaHttp.SendAsync(request);
    response.EnsureSuccessStatusCode();
    firstToken();
    var answer = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>();
    return answer!["tokens_predicted"]!.GetValue<int>();
}

Task<int> Free(Action firstToken) => Sampled(firstToken, constrained: false);

Task<int> Schema(Action firstToken) => Sampled(firstToken, constrained: true);

Task<int> InProcess(Action firstToken) => InProcessRequests.GreedyAsync(engine, Prompt, tokens, firstToken);

async Task<int> Naive(Action firstToken)
{
    await oneAtATime.WaitAsync();
    try
    {
        var count = 0;
        var inference = new InferenceParams { MaxTokens = tokens, SamplingPipeline = new DefaultSamplingPipeline { Temperature = 0 } };
        await foreach (var _ in naive.InferAsync(Prompt, inference))
        {
            firstToken();
            count++;
        }
        return count;
    }
    finally
    {
        oneAtATime.Release();
    }
}

var results = new List<RunResult>();
using var steps = new StepProfile();
var profiles = new List<(string Mode, int Concurrency, Dictionary<string, double> Means)>();
async Task<RunResult> Measured(string mode, int concurrency, int requests, Func<Action, Task<int>> send)
{
    steps.TakeMeans();
    var result = await LoadGenerator.RunAsync(mode, concurrency, requests, send);
    profiles.Add((mode, concurrency, steps.TakeMeans()));
    return result;
}
// Every path warmed up before any is timed: the first mode measured must not pay for the JIT's tiering.
foreach (var path in new[] { ViaHttp, ViaHttpChat, ViaOpenAi, InProcess })
    await LoadGenerator.RunAsync("warmup", 4, 32, path);
if (llama is not null)
    await LoadGenerator.RunAsync("warmup", 4, 32, ViaLlamaServer);
if (options.ContainsKey("constrained"))
    await LoadGenerator.RunAsync("warmup", 4, 32, Schema);
foreach (var concurrency in levels)
{
    // At least 32 requests per level: one stream of 128 tokens lasts tens of ms, and fewer samples are noise.
    var requests = Math.Max(concurrency * waves, 32);
    results.Add(await Measured("server", concurrency, requests, ViaHttp));
    results.Add(await Measured("chat", concurrency, requests, ViaHttpChat));
    results.Add(await Measured("v1", concurrency, requests, ViaOpenAi));
    results.Add(await Measured("engine", concurrency, requests, InProcess));
    if (llama is not null)
    {
        llamaSteps.TakeMeans();
        results.Add(await LoadGenerator.RunAsync("llama", concurrency, requests, ViaLlamaServer));
        profiles.Add(("llama", concurrency, llamaSteps.TakeMeans()));
    }
    if (options.ContainsKey("constrained"))
    {
        results.Add(await Measured("free", concurrency, requests, Free));
        results.Add(await Measured("schema", concurrency, requests, Schema));
        if (llama is not null)
        {
            results.Add(await LoadGenerator.RunAsync("llama-free", concurrency, requests, first => LlamaSampled(first, constrained: false)));
            results.Add(await LoadGenerator.RunAsync("llama-schema", concurrency, requests, first => LlamaSampled(first, constrained: true)));
        }
    }
    if (!options.ContainsKey("skip-naive"))
        results.Add(await LoadGenerator.RunAsync("naive", concurrency, requests, Naive));
    Console.Error.WriteLine($"concurrency {concurrency} done");
}

var machine = MachineFacts.Describe(modelPath, engine.Readers().Single(), contextSize);
Report.Print(machine, results, tokens);
Report.PrintSteps(profiles);
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new { machine, tokens_per_request = tokens, results },
    new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
Console.WriteLine($"\nwrote {Path.GetFullPath(output)}");
await app.StopAsync();
File.Delete(catalog);
return 0;
