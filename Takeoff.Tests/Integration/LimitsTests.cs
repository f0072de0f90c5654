using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration;

/// <summary>The operator's limits: body size, tokens per request, a deadline per request, browser origins.</summary>
internal sealed class LimitsTests
{
    [Test]
    public async Task BodyOverTheLimit_413_InEachApisShape()
    {
        await using var server = await TakeoffServer.StartWithModelsAsync(
            [TakeoffServer.Stories260K("story", new { chat_template = "chatml" })], ["--max-request-body", "4096"]);
        var big = new string('x', 10_000);

        using var takeoff = await server.Client.PostAsJsonAsync("/generate", new { text = big });
        using var openAi = await server.Client.PostAsJsonAsync("/v1/completions", new { prompt = big });

        Assert.That(takeoff.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(takeoff.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(openAi.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(JsonNode.Parse(await openAi.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>(),
            Is.EqualTo("invalid_request_error"));
        var fine = await server.Client.GenerateAsync(new { text = "Once upon a time", max_new_tokens = 2 });
        Assert.That(fine["text"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task MoreNewTokensThanTheServerAllows_400NamingTheField_AndItIsTheDefaultCap()
    {
        await using var server = await TakeoffServer.StartWithModelsAsync(
            [TakeoffServer.Stories260K("story", new { chat_template = "chatml" })], ["--max-new-tokens", "12"]);

        var takeoff = await server.Client.PostJsonAsync("/generate", new { text = "Once", max_new_tokens = 13 }, 400);
        var openAi = await server.Client.PostJsonAsync("/v1/completions", new { prompt = "Once", max_tokens = 13 }, 400);
        var uncapped = await server.Client.PostJsonAsync("/v1/chat/completions",
            new { messages = new[] { new { role = "user", content = "Hi" } } });

        Assert.That(takeoff["errors"]!["max_new_tokens"]![0]!.GetValue<string>(), Does.Contain("at most 12"));
        Assert.That(openAi["error"]!["param"]!.GetValue<string>(), Is.EqualTo("max_tokens"));
        Assert.That(uncapped["usage"]!["completion_tokens"]!.GetValue<int>(), Is.EqualTo(12),
            "a chat request without max_tokens runs to the server's cap, not to the end of the context");
    }

    // Mutations: GenerateRequest.NameOf naming MaxTokens "max_new_tokens" whatever was sent, or ChatCompletionRequest's
    // "max_tokens", names the field the client did not send.
    [Test]
    public async Task AnAliasOverTheServersLimit_400NamingTheAliasTheClientSent()
    {
        await using var server = await TakeoffServer.StartWithModelsAsync(
            [TakeoffServer.Stories260K("story", new { chat_template = "chatml" })], ["--max-new-tokens", "12"]);

        var takeoff = await server.Client.PostJsonAsync("/generate", new { text = "Once", generate_max_length = 13 }, 400);
        var openAi = await server.Client.PostJsonAsync("/v1/chat/completions",
            new { messages = new[] { new { role = "user", content = "Hi" } }, max_completion_tokens = 13 }, 400);

        Assert.That(takeoff["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "generate_max_length" }), takeoff.ToJsonString());
        Assert.That(takeoff["errors"]!["generate_max_length"]![0]!.GetValue<string>(), Does.Contain("at most 12"));
        Assert.That(takeoff["field"]!.GetValue<string>(), Is.EqualTo("generate_max_length"));
        Assert.That(openAi["error"]!["param"]!.GetValue<string>(), Is.EqualTo("max_completion_tokens"), openAi.ToJsonString());
    }

    [Test]
    public async Task RequestTimeout_ARequestPastItsDeadlineEndsCleanlyAsStopped()
    {
        await using var server = await TakeoffServer.StartAsync(new { context_size = 8192 }, ["--request-timeout", "0.5"]);

        var answer = await server.Client.GenerateAsync(new
        {
            text = "Once upon a time", max_new_tokens = 8000, min_new_tokens = 8000, return_metadata = true,
        });

        Assert.That(answer["metadata"]!["finish_reason"]!.GetValue<string>(), Is.EqualTo("stopped"));
        Assert.That(answer["metadata"]!["generated_tokens"]!.GetValue<int>(), Is.InRange(1, 7999));
    }

    [Test]
    public async Task CorsOrigins_OnlyTheNamedOriginMayCallFromABrowser()
    {
        await using var open = await TakeoffServer.StartAsync(extraArgs: ["--cors-origins", "http://app.example"]);

        Assert.That(await AllowedOriginAsync(open, "http://app.example"), Is.EqualTo("http://app.example"));
        Assert.That(await AllowedOriginAsync(open, "http://evil.example"), Is.Null);
        Assert.That(await AllowedOriginAsync(SharedServer.Instance, "http://app.example"), Is.Null, "off by default");
    }

    private static async Task<string?> AllowedOriginAsync(TakeoffServer server, string origin)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        using var response = await server.Client.SendAsync(preflight);
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var allowed) ? allowed.Single() : null;
    }
}
