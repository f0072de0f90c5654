using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration;

/// <summary>FastAPI's paths, as the old Takeoff server's users probe them: Swagger UI at /docs, the document at /openapi.json.</summary>
internal sealed class OpenApiTests
{
    private static HttpClient Client => SharedServer.Instance.Client;

    [Test]
    public async Task Docs_ServesSwaggerUiPointingAtTheDocument()
    {
        var page = await Client.GetStringAsync("/docs/index.html");
        var config = await Client.GetStringAsync("/docs/index.js");
        using var bundle = await Client.GetAsync("/docs/swagger-ui-bundle.js");

        Assert.That(page, Does.Contain("swagger-ui"));
        Assert.That(config, Does.Contain("/openapi.json").And.Contain("/openapi/management.json").And.Contain("/openapi/openai.json"));
        Assert.That((int)bundle.StatusCode, Is.EqualTo(200));
        Assert.That((await bundle.Content.ReadAsByteArrayAsync()).Length, Is.GreaterThan(100_000), "the UI's script itself");
    }

    [Test]
    public async Task OpenApi_DescribesBothEndpointsWithTheirSchemas()
    {
        var document = JsonNode.Parse(await Client.GetStringAsync("/openapi.json"))!;

        var generate = document["paths"]!["/generate"]!["post"]!;
        var stream = document["paths"]!["/generate_stream"]!["post"]!;
        Assert.That(generate["summary"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(stream["responses"]!["200"]!["content"]!.AsObject().Select(c => c.Key),
            Is.SupersetOf(new[] { "text/plain", "text/event-stream" }));
        Assert.That(generate["responses"]!.AsObject().Select(r => r.Key), Is.SupersetOf(new[] { "200", "400", "404", "503" }));

        var request = document["components"]!["schemas"]!["GenerateRequest"]!;
        var properties = request["properties"]!.AsObject().Select(p => p.Key).ToArray();
        Assert.That(properties, Is.SupersetOf(new[]
        {
            "text", "max_new_tokens", "generate_max_length", "min_new_tokens", "sampling_temperature", "sampling_topk",
            "sampling_topp", "repetition_penalty", "no_repeat_ngram_size", "prompt_max_tokens", "seed", "consumer_group",
            "return_metadata", "use_chat_template",
        }));
        Assert.That(document["components"]!["schemas"]!["GenerateResponse"]!["properties"]!.AsObject().Select(p => p.Key),
            Is.SupersetOf(new[] { "text", "message", "metadata" }));
        Assert.That(document.ToJsonString(), Does.Contain("List 3 things to do in London"), "the prompt example");
    }

    [Test]
    public async Task OpenApi_InferenceDocumentHasTheReaderEndpoints_ManagementDocumentTheRest()
    {
        var inference = JsonNode.Parse(await Client.GetStringAsync("/openapi.json"))!;
        var management = JsonNode.Parse(await Client.GetStringAsync("/openapi/management.json"))!;

        Assert.That(inference["paths"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[]
        {
            "/generate", "/generate_stream", "/embed", "/tokenize/{reader_id}", "/detokenize/{reader_id}", "/chat_template/{reader_id}",
            "/apply-template",
        }));
        Assert.That(management["paths"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[]
        {
            "/reader_groups", "/reader", "/reader/{reader_id}", "/config/{reader_id}", "/status",
        }));
        // "Try it out" in Swagger UI must reach the management port, not the port the document came from.
        var managementUrl = new Uri(management["servers"]![0]!["url"]!.GetValue<string>());
        Assert.That(managementUrl.Port, Is.EqualTo(SharedServer.Instance.Management.BaseAddress!.Port));
        Assert.That(management.ToJsonString(), Does.Contain("stories260K"), "the model_name example");
    }

    [Test]
    public async Task OpenApi_OpenAiDocumentHasTheV1EndpointsWithTheirSchemas()
    {
        var document = JsonNode.Parse(await Client.GetStringAsync("/openapi/openai.json"))!;

        Assert.That(document["paths"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[]
        {
            "/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/models",
        }));
        var chat = document["paths"]!["/v1/chat/completions"]!["post"]!;
        Assert.That(chat["responses"]!["200"]!["content"]!.AsObject().Select(c => c.Key),
            Is.SupersetOf(new[] { "application/json", "text/event-stream" }));
        Assert.That(chat["responses"]!.AsObject().Select(r => r.Key), Is.SupersetOf(new[] { "200", "400", "404", "503" }));
        var request = document["components"]!["schemas"]!["ChatCompletionRequest"]!["properties"]!.AsObject().Select(p => p.Key);
        Assert.That(request, Is.SupersetOf(new[]
        {
            "model", "messages", "max_tokens", "max_completion_tokens", "temperature", "top_p", "top_k", "min_p", "seed", "stop", "n",
            "presence_penalty", "frequency_penalty", "repetition_penalty", "logprobs", "top_logprobs", "stream", "stream_options",
            "tools", "tool_choice", "parallel_tool_calls",
        }));
        Assert.That(document.ToJsonString(), Does.Contain("Tell me a story about a dog."), "the message example");
    }

    [Test]
    public async Task Health_AnswersOkOnceTheModelIsLoaded()
    {
        using var response = await Client.GetAsync("/health");

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
    }
}
