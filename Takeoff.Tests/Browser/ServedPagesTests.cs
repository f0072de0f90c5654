using System.Net;

namespace Takeoff.Tests.Browser;

/// <summary>The pages and their files are served on the inference port, and nowhere else.</summary>
internal sealed class ServedPagesTests
{
    private static readonly string[] Files =
        ["/", "/demos/chat", "/demos/playground", "/css/takeoff.css", "/js/chat.js", "/lib/dompurify/purify.es.mjs"];

    [TestCase("/", "data-testid=\"prompt\"")]
    [TestCase("/demos/chat", "data-testid=\"prompt\"")]
    [TestCase("/demos/playground", "data-testid=\"playground-prompt\"")]
    public async Task Page_OnTheInferencePort(string path, string marker)
    {
        using var response = await BrowserServer.Instance.Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(marker));
    }

    [TestCase("/js/chat.js")]
    [TestCase("/lib/marked/marked.esm.js")]
    [TestCase("/lib/dompurify/purify.es.mjs")]
    [TestCase("/lib/highlight.js/highlight.min.js")]
    public async Task Module_ServedAsJavaScript(string path)
    {
        using var response = await BrowserServer.Instance.Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // Browsers refuse a module script of any other type.
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/javascript"));
    }

    [Test]
    public async Task NothingOfThePages_OnTheManagementOrOpenAiPort()
    {
        using var openAi = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{BrowserServer.OpenAiPort}") };
        foreach (var client in new[] { BrowserServer.Instance.Management, openAi })
        {
            foreach (var path in Files)
            {
                using var response = await client.GetAsync(path);
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"{client.BaseAddress}{path}");
            }
        }
        // The ports still serve their own APIs.
        using var groups = await BrowserServer.Instance.Management.GetAsync("/reader_groups");
        using var models = await openAi.GetAsync("/v1/models");
        Assert.That((groups.StatusCode, models.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
    }

    [Test]
    public async Task SwaggerUi_StaysAtDocs()
    {
        using var response = await BrowserServer.Instance.Client.GetAsync("/docs/index.html");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("swagger-ui"));
    }
}
