using System.Net;
using System.Text;

namespace Takeoff.Tests.Integration.Security;

/// <summary>
/// A web page open in the user's browser cannot drive the server: no origin may call the management API unless named,
/// a Host header that is not this server's name is refused on every port (DNS rebinding), and a form post cannot
/// start a reader.
/// </summary>
internal sealed class BrowserAccessTests
{
    [Test]
    public async Task HostHeaderOfAnotherName_400OnBothPorts_LoopbackNamesServe()
    {
        await using var server = await TakeoffServer.StartAsync();

        foreach (var client in new[] { server.Client, server.Management })
        {
            var path = client == server.Client ? "/health" : "/reader_groups";
            using var rebound = await GetWithHostAsync(client, path, "rebind.evil.example");
            using var local = await GetWithHostAsync(client, path, "localhost");
            Assert.That(rebound.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), path);
            Assert.That(local.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        }
        var answer = await server.Client.GenerateAsync(new { text = "Once upon a time", max_new_tokens = 3 });
        Assert.That(answer["text"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task AllowedHostsFlag_NamesTheHostsServed()
    {
        await using var server = await TakeoffServer.StartAsync(extraArgs: ["--allowed-hosts", "takeoff.internal"]);

        using var named = await GetWithHostAsync(server.Client, "/health", "takeoff.internal");
        using var loopback = await GetWithHostAsync(server.Client, "/health", "localhost");

        Assert.That(named.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(loopback.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task ManagementCorsOrigins_OnlyTheNamedOriginMayCallTheManagementApi()
    {
        await using var server = await TakeoffServer.StartAsync(extraArgs: ["--management-cors-origins", "http://127.0.0.1:8000"]);

        Assert.That(await AllowedOriginAsync(server, "http://127.0.0.1:8000"), Is.EqualTo("http://127.0.0.1:8000"));
        Assert.That(await AllowedOriginAsync(server, "http://evil.example:8000"), Is.Null);
    }

    [Test]
    public async Task PostReader_AsAPlainTextFormPost_RefusedAndNoReaderStarts()
    {
        await using var server = await TakeoffServer.StartAsync();
        // What an HTML form (or a "simple" fetch, which needs no preflight) can send from any site.
        using var form = new StringContent("""{"model_name":"stories260K","consumer_group":"forged"}""", Encoding.UTF8, "text/plain");

        using var response = await server.Management.PostAsync("/reader", form);

        // No endpoint consumes text/plain: routing's 415 answer carries no management marker, so the port scoping answers 404.
        Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.UnsupportedMediaType, HttpStatusCode.NotFound));
        var groups = await server.Management.GetJsonAsync("/reader_groups");
        Assert.That(groups.AsObject().Select(g => g.Key), Does.Not.Contain("forged"));
    }

    [TestCase("/")]
    [TestCase("/demos/playground")]
    public async Task Pages_RunOnlyTheirOwnScripts_AndAreNotSniffed(string page)
    {
        await using var server = await TakeoffServer.StartAsync();

        using var response = await server.Client.GetAsync(page);
        using var script = await server.Client.GetAsync("/js/chat.js");

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.That(policy, Does.Contain("script-src 'self';").And.Contain("frame-ancestors 'none'").And.Not.Contain("unsafe"));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(script.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
    }

    private static async Task<HttpResponseMessage> GetWithHostAsync(HttpClient client, string path, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        return await client.SendAsync(request);
    }

    /// <summary>A browser's preflight for POST /reader from <paramref name="origin"/>: the origin it may call from, if any.</summary>
    private static async Task<string?> AllowedOriginAsync(TakeoffServer server, string origin)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/reader");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await server.Management.SendAsync(preflight);
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var allowed) ? allowed.Single() : null;
    }
}
