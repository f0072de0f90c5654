using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OpenAI;
using Takeoff.Api;

namespace Takeoff.Tests.Integration.Security;

/// <summary>API keys as Bearer tokens: each API its own keys and its own error shape; probes, metrics and docs stay open.</summary>
internal sealed class ApiKeyTests
{
    private static Task<TakeoffServer> StartKeyedAsync(params string[] more) => TakeoffServer.StartWithModelsAsync(
        [TakeoffServer.Stories260K("story")],
        ["--api-key", "first-key, second-key", "--management-api-key", "manager-key", .. more]);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? key, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (key is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.SendAsync(request);
    }

    [Test]
    public async Task Takeoff_NoOrWrongKey_401WithBearerChallengeAsProblemDetails_RightKeyServes()
    {
        await using var server = await StartKeyedAsync();
        var body = new { text = "Once upon a time", max_new_tokens = 3 };

        using var missing = await SendAsync(server.Client, HttpMethod.Post, "/generate", null, body);
        using var wrong = await SendAsync(server.Client, HttpMethod.Post, "/generate", "manager-key", body);
        using var right = await SendAsync(server.Client, HttpMethod.Post, "/generate", "second-key", body);

        foreach (var refused in new[] { missing, wrong })
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(refused.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Bearer"));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("Authorization: Bearer"));
        }
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task OpenAiSdk_WrongKey_401InOpenAisShape_RightKeyServes()
    {
        await using var server = await StartKeyedAsync();
        OpenAIClient Sdk(string key) => new(new ApiKeyCredential(key),
            new OpenAIClientOptions { Endpoint = new Uri(server.Client.BaseAddress!, "/v1"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

        var error = Assert.ThrowsAsync<ClientResultException>(() => Sdk("nope").GetOpenAIModelClient().GetModelsAsync())!;
        var models = await Sdk("first-key").GetOpenAIModelClient().GetModelsAsync();

        Assert.That(error.Status, Is.EqualTo(401));
        Assert.That(JsonNode.Parse(error.GetRawResponse()!.Content.ToString())!["error"]!["code"]!.GetValue<string>(), Is.EqualTo("invalid_api_key"));
        Assert.That(models.Value.Select(m => m.Id), Does.Contain("primary"));
    }

    [Test]
    public async Task Management_HasItsOwnKey_TheInferenceKeysDoNotOpenIt()
    {
        await using var server = await StartKeyedAsync();

        using var inferenceKey = await SendAsync(server.Management, HttpMethod.Get, "/reader_groups", "first-key");
        using var managerKey = await SendAsync(server.Management, HttpMethod.Get, "/reader_groups", "manager-key");

        Assert.That(inferenceKey.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(managerKey.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("/health")]
    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    [TestCase("/metrics")]
    [TestCase("/docs/index.html")]
    [TestCase("/openapi.json")]
    public async Task ProbesMetricsAndDocs_StayOpen(string path)
    {
        await using var server = await StartKeyedAsync();

        using var response = await server.Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task KeyFile_ItsKeysAreAccepted()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllLinesAsync(file, ["# team keys", "", "from-the-file"]);
        try
        {
            await using var server = await TakeoffServer.StartWithModelsAsync([TakeoffServer.Stories260K("story")], ["--api-key-file", file]);

            using var right = await SendAsync(server.Client, HttpMethod.Post, "/tokenize/story-1", "from-the-file", new { text = "Once" });
            using var comment = await SendAsync(server.Client, HttpMethod.Post, "/tokenize/story-1", "# team keys", new { text = "Once" });

            Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(comment.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void ManagementOnTheNetworkWithoutItsKey_TheServerRefusesToStart()
    {
        var refusal = Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = TakeoffApp.Create(["--port", "0", "--openai-port", "0", "--management-host", "0.0.0.0",
                "--models-dir", TestModels.Directory]);
            await app.StartAsync();
        })!;

        Assert.That(refusal.Message, Does.Contain("--management-api-key"));
    }
}
