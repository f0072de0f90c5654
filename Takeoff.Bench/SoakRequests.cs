using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Takeoff.Bench;

/// <summary>
/// The kinds of request a soak mixes, each checking its own answer: "ok" when the server answered as it should
/// (a bad request is expected to get its 400), else what it answered instead.
/// </summary>
internal static class SoakRequests
{
    private const string Prompt = "Once upon a time";

    public static readonly (string Kind, Func<HttpClient, Task<string>> Send)[] All =
    [
        ("generate", Generate),
        ("stream", PlainStream),
        ("sse", ServerSentEvents),
        ("v1-chat-stream", OpenAiChatStream),
        ("v1-completions", OpenAiCompletions),
        ("v1-embeddings", OpenAiEmbeddings),
        ("cancelled", CancelledMidway),
        ("json-schema", JsonSchemaAnswer),
        ("regex-cancelled", ConstrainedCancelledMidway),
        ("bad-grammar", BrokenGrammar),
        ("bad-json", MalformedJson),
        ("bad-value", OutOfRange),
    ];

    private static async Task<string> Generate(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/generate",
            new { text = Prompt, max_new_tokens = 32, sampling_topk = 40, sampling_temperature = 0.8 });
        return await Verdict(response, body => body.Contains("\"text\"", StringComparison.Ordinal));
    }

    private static async Task<string> PlainStream(HttpClient http)
    {
        using var response = await SendAsync(http, "/generate_stream", new { text = Prompt, max_new_tokens = 64 });
        return await Verdict(response, body => body.Length > 0);
    }

    private static async Task<string> ServerSentEvents(HttpClient http)
    {
        using var response = await SendAsync(http, "/generate_stream", new { text = Prompt, max_new_tokens = 64, return_metadata = true },
            "text/event-stream");
        return await Verdict(response, body => body.Contains("event: metadata", StringComparison.Ordinal));
    }

    private static async Task<string> OpenAiChatStream(HttpClient http)
    {
        using var response = await SendAsync(http, "/v1/chat/completions", new
        {
            model = "primary", messages = new[] { new { role = "user", content = "Tell me a story." } }, max_tokens = 48, stream = true,
        });
        return await Verdict(response, body => body.TrimEnd().EndsWith("data: [DONE]", StringComparison.Ordinal));
    }

    private static async Task<string> OpenAiCompletions(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/v1/completions", new { prompt = Prompt, max_tokens = 24, n = 2 });
        return await Verdict(response, body => body.Contains("\"index\":1", StringComparison.Ordinal));
    }

    private static async Task<string> OpenAiEmbeddings(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/v1/embeddings", new { model = "embed", input = new[] { Prompt, "The little dog" } });
        return await Verdict(response, _ => true);
    }

    /// <summary>A client that reads the start of a long stream and goes away: the server must free the slot.</summary>
    private static async Task<string> CancelledMidway(HttpClient http)
    {
        using var response = await SendAsync(http, "/generate_stream", new { text = Prompt, max_new_tokens = 2000, min_new_tokens = 2000 });
        if (!response.IsSuccessStatusCode)
            return $"{(int)response.StatusCode}";
        await using var body = await response.Content.ReadAsStreamAsync();
        return await body.ReadAsync(new byte[64]) > 0 ? "ok" : "empty stream";
    }

    /// <summary>A schema-constrained answer: one that ended by itself must parse as the object asked for.</summary>
    private static async Task<string> JsonSchemaAnswer(HttpClient http)
    {
        var schema = new
        {
            type = "object", required = new[] { "name", "age" }, additionalProperties = false,
            properties = new { name = new { type = "string", maxLength = 24 }, age = new { type = "integer", minimum = 1, maximum = 99 } },
        };
        using var response = await http.PostAsJsonAsync("/generate", new
        {
            text = Prompt, json_schema = schema, max_new_tokens = 96, sampling_temperature = 1.0, sampling_topk = 0, return_metadata = true,
        });
        return await Verdict(response, body =>
        {
            using var answer = JsonDocument.Parse(body);
            if (answer.RootElement.GetProperty("metadata").GetProperty("finish_reason").GetString() == "length")
                return true;
            using var text = JsonDocument.Parse(answer.RootElement.GetProperty("text").GetString()!);
            var value = text.RootElement;
            return value.GetProperty("age").GetInt32() is >= 1 and <= 99 && value.GetProperty("name").ValueKind == JsonValueKind.String;
        });
    }

    /// <summary>A client that leaves a grammar-constrained stream: its grammar sampler goes with its slot.</summary>
    private static async Task<string> ConstrainedCancelledMidway(HttpClient http)
    {
        using var response = await SendAsync(http, "/generate_stream", new { text = Prompt, regex_string = "([a-z]+ ){500,}", max_new_tokens = 1500 });
        if (!response.IsSuccessStatusCode)
            return $"{(int)response.StatusCode}";
        await using var body = await response.Content.ReadAsStreamAsync();
        return await body.ReadAsync(new byte[64]) > 0 ? "ok" : "empty stream";
    }

    /// <summary>A grammar llama.cpp would refuse (and crash on, unchecked): a 400, and the server goes on.</summary>
    private static async Task<string> BrokenGrammar(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/generate", new { text = Prompt, grammar = "root ::= \"a\" undefined-rule" });
        return response.StatusCode == HttpStatusCode.BadRequest ? "ok" : $"{(int)response.StatusCode} instead of 400";
    }

    private static async Task<string> MalformedJson(HttpClient http)
    {
        using var response = await http.PostAsync("/generate", new StringContent("{\"text\": \"unclosed", Encoding.UTF8, "application/json"));
        return response.StatusCode == HttpStatusCode.BadRequest ? "ok" : $"{(int)response.StatusCode} instead of 400";
    }

    private static async Task<string> OutOfRange(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/v1/chat/completions",
            new { messages = new[] { new { role = "user", content = "Hi" } }, temperature = 9 });
        return response.StatusCode == HttpStatusCode.BadRequest ? "ok" : $"{(int)response.StatusCode} instead of 400";
    }

    /// <summary>"ok" for a success whose body passes <paramref name="check"/>; else the status, or what was wrong with the body.</summary>
    private static async Task<string> Verdict(HttpResponseMessage response, Func<string, bool> check)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            return $"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 120)]}";
        return check(body) ? "ok" : "unexpected body";
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string path, object body, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (accept is not null)
            request.Headers.Accept.ParseAdd(accept);
        return http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
