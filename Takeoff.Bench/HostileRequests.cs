using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Takeoff.Bench;

/// <summary>
/// The probes of the hardening review, mixed into a soak at a low rate: each is refused cheaply (or served within its
/// bounds), and the normal traffic around it must not notice. "ok" when the server answered as it should.
/// </summary>
internal static class HostileRequests
{
    private const string Prompt = "Once upon a time";

    public static readonly (string Kind, Func<HttpClient, Task<string>> Send)[] All =
    [
        ("x-reader-257-slots", ReaderBeyondLlamaCpp),
        ("x-foreign-origin", ForeignOriginPreflight),
        ("x-rebound-host", ReboundHost),
        ("x-huge-prompt", HugePrompt),
        ("x-duplicate-keys", DuplicateKeys),
        ("x-all-slots-choices", AllSlotsChoices),
        ("x-embedding-inputs", TooManyEmbeddingInputs),
        ("x-regex-bomb", RegexBomb),
        ("x-enum-40k", HugeEnum),
        ("x-optional-2000", ManyOptionalProperties),
    ];

    /// <summary>The management API listens on the inference port + 1 (soak.sh starts the server so).</summary>
    private static Uri Management(HttpClient http, string path) =>
        new UriBuilder(http.BaseAddress!) { Port = http.BaseAddress!.Port + 1, Path = path }.Uri;

    private static async Task<string> ReaderBeyondLlamaCpp(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync(Management(http, "/reader"), new { model_name = "stories260K", max_batch_size = 257 });
        return Expect(response, HttpStatusCode.BadRequest);
    }

    private static async Task<string> ForeignOriginPreflight(HttpClient http)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, Management(http, "/reader"));
        preflight.Headers.Add("Origin", $"http://evil.example:{http.BaseAddress!.Port}");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await http.SendAsync(preflight);
        return response.Headers.Contains("Access-Control-Allow-Origin") ? "a foreign origin was allowed" : "ok";
    }

    private static async Task<string> ReboundHost(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Host = "rebind.evil.example";
        using var response = await http.SendAsync(request);
        return Expect(response, HttpStatusCode.BadRequest);
    }

    private static async Task<string> HugePrompt(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/generate", new { text = string.Concat(Enumerable.Repeat("Once upon a time ", 60_000)) });
        return Expect(response, HttpStatusCode.BadRequest);
    }

    private static async Task<string> DuplicateKeys(HttpClient http)
    {
        using var response = await http.PostAsync("/v1/completions",
            new StringContent("""{"prompt": "Once", "temperature": 0, "temperature": 2}""", Encoding.UTF8, "application/json"));
        return Expect(response, HttpStatusCode.BadRequest);
    }

    /// <summary>
    /// Every slot for one request, with log-probabilities: it takes its turns like everyone else. Its 16 sequences are
    /// admitted all or none, so when the queue cannot hold them the answer is a 503 with Retry-After (load shed, as
    /// documented), never a stall.
    /// </summary>
    private static async Task<string> AllSlotsChoices(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/v1/completions", new { prompt = Prompt, n = 16, max_tokens = 64, logprobs = 20 });
        return response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null
            ? "ok"
            : Expect(response, HttpStatusCode.OK);
    }

    private static async Task<string> TooManyEmbeddingInputs(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/v1/embeddings", new { model = "embed", input = Enumerable.Repeat("a", 2049).ToArray() });
        return Expect(response, HttpStatusCode.BadRequest);
    }

    private static async Task<string> RegexBomb(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/generate", new { text = Prompt, regex_string = "(((a{0,50}){0,50}){0,50})b" });
        return Expect(response, HttpStatusCode.BadRequest);
    }

    /// <summary>Served within its bounds, or refused as too expensive: either way quickly, and never a stall.</summary>
    private static async Task<string> HugeEnum(HttpClient http)
    {
        var schema = new JsonObject { ["enum"] = new JsonArray(Enumerable.Range(0, 40_000).Select(i => (JsonNode)$"value-{i}").ToArray()) };
        using var response = await http.PostAsJsonAsync("/generate", new { text = Prompt, json_schema = schema, max_new_tokens = 16 });
        return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest ? "ok" : $"{(int)response.StatusCode}";
    }

    private static async Task<string> ManyOptionalProperties(HttpClient http)
    {
        var properties = new JsonObject();
        for (var i = 0; i < 2000; i++)
            properties[$"p{i}"] = new JsonObject { ["type"] = "integer" };
        using var response = await http.PostAsJsonAsync("/generate",
            new { text = Prompt, json_schema = new JsonObject { ["type"] = "object", ["properties"] = properties }, max_new_tokens = 16 });
        return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest ? "ok" : $"{(int)response.StatusCode}";
    }

    private static string Expect(HttpResponseMessage response, HttpStatusCode expected) =>
        response.StatusCode == expected ? "ok" : $"{(int)response.StatusCode} instead of {(int)expected}";
}
