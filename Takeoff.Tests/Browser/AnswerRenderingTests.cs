using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Takeoff.Tests.Browser;

/// <summary>
/// How an answer is rendered. stories260K writes neither Markdown nor HTML, so here a route answers the chat
/// request with a crafted stream in the /v1 format: the page must render the Markdown and neutralize the rest.
/// </summary>
internal sealed class AnswerRenderingTests
{
    private const string Answer = """
        Here is **bold** and a [link](https://example.com/).

        <img src="http://127.0.0.1:9/leak.png" onerror="window.pwned = 1">
        <script>window.pwned = 2</script>
        <a href="javascript:window.pwned = 3">click</a>
        <p class="error" style="position: fixed">spoof</p>

        ```js
        const answer = 42;
        ```
        """;

    [Test]
    public async Task Answer_MarkdownRendered_CodeHighlighted_HtmlSanitized()
    {
        var requested = new List<string>();
        await using var browser = await BrowserPage.OpenAsync("/", beforeLoad: async page =>
        {
            page.Request += (_, request) => requested.Add(request.Url);
            await page.RouteAsync("**/v1/chat/completions", route => route.FulfillAsync(new RouteFulfillOptions
            {
                Status = 200,
                ContentType = "text/event-stream",
                Body = Stream(Answer),
            }));
        });
        var chat = await ChatPage.ReadyAsync(browser);

        await chat.SendAsync("Show me");
        await chat.WaitForAnswerAsync(1);

        var content = chat.Answers.Locator(".content");
        await Expect(content.Locator("strong")).ToHaveTextAsync("bold");
        var link = content.GetByRole(AriaRole.Link, new() { Name = "link" });
        await Expect(link).ToHaveAttributeAsync("href", "https://example.com/");
        await Expect(link).ToHaveAttributeAsync("target", "_blank");
        await Expect(link).ToHaveAttributeAsync("rel", "noopener noreferrer");
        await Expect(content.Locator("pre code .hljs-keyword")).ToHaveTextAsync("const");
        await Expect(content.Locator("img, script, [style], [onerror], .error")).ToHaveCountAsync(0);
        await Expect(content.GetByText("click")).Not.ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("."));
        await content.GetByText("click").ClickAsync();
        Assert.That(await browser.Page.EvaluateAsync<bool>("() => window.pwned === undefined"), Is.True);
        Assert.That(requested, Has.None.Contains(":9/"), "nothing in an answer is fetched");
        // The sanitizer parses the hostile HTML in a detached document; the page's Content-Security-Policy refuses the
        // inline handler and style there too, and says so on the console: that report is the policy at work.
        Assert.That(browser.Errors.Where(error => !error.Contains("Content Security Policy directive")), Is.Empty);
    }

    /// <summary>The answer as /v1 streams it: a role chunk, content deltas a few characters long, the finish, [DONE].</summary>
    private static string Stream(string answer)
    {
        var events = new List<object> { Chunk(new { role = "assistant", content = "" }, null) };
        for (var i = 0; i < answer.Length; i += 7)
            events.Add(Chunk(new { content = answer.Substring(i, Math.Min(7, answer.Length - i)) }, null));
        events.Add(Chunk(new { }, "stop"));
        return string.Concat(events.Select(e => $"data: {JsonSerializer.Serialize(e)}\n\n")) + "data: [DONE]\n\n";
    }

    private static object Chunk(object delta, string? finishReason) => new
    {
        id = "chatcmpl-test",
        @object = "chat.completion.chunk",
        model = "primary",
        choices = new[] { new { index = 0, delta, finish_reason = finishReason } },
    };
}
