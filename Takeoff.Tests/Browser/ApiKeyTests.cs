using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Takeoff.Tests.Browser;

/// <summary>
/// The server checks no keys yet, so a route stands in for one that does: every inference request is answered 401
/// until it carries the key as a bearer token, then it goes to the real server.
/// </summary>
internal sealed class ApiKeyTests
{
    private const string Key = "sk-browser-test";

    [Test]
    public async Task Unauthorized_AsksForAKey_KeepsIt_AndSendsItAsABearerToken()
    {
        var seen = new ConcurrentQueue<(string Url, string? Authorization)>();
        await using var browser = await BrowserPage.OpenAsync("/", beforeLoad: page => RequireKeyAsync(page, seen));
        var page = browser.Page;

        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("401 Unauthorized: A valid API key is required.");
        await dialog.GetByLabel("API key", new LocatorGetByLabelOptions { Exact = true }).FillAsync(Key);
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Save" }).ClickAsync();
        var chat = await ChatPage.ReadyAsync(browser);
        await chat.SetAsync("Max tokens", "8");
        await chat.SendAsync("Hi");
        await chat.WaitForAnswerAsync(1);

        Assert.That(await page.EvaluateAsync<string>("() => localStorage.getItem('takeoff.apiKey')"), Is.EqualTo(Key));
        Assert.That(seen.First(), Is.EqualTo((Url("/v1/models"), (string?)null)), "the first request went without a key");
        Assert.That(seen.Where(r => r.Url == Url("/v1/chat/completions")).Select(r => r.Authorization), Is.EqualTo(new[] { $"Bearer {Key}" }));

        // Kept in the browser: after a reload, and on the playground, the key goes with the first request.
        seen.Clear();
        await page.ReloadAsync();
        await chat.WaitUntilModelsListedAsync();
        await page.GotoAsync("/demos/playground");
        await page.GetByTestId("playground-prompt").FillAsync("Once upon a time");
        await page.GetByLabel("max_new_tokens", new PageGetByLabelOptions { Exact = true }).FillAsync("8");
        await page.GetByTestId("playground-run").ClickAsync();
        await Expect(page.GetByTestId("playground-metadata")).ToContainTextAsync("finish_reason");

        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        Assert.That(seen.Select(r => r.Url), Is.SupersetOf(new[] { Url("/v1/models"), Url("/generate_stream") }));
        Assert.That(seen.Select(r => r.Authorization), Is.All.EqualTo($"Bearer {Key}"));
    }

    [Test]
    public async Task KeyRefused_TheUnauthorizedAnswerIsShownInPlace()
    {
        await using var browser = await BrowserPage.OpenAsync("/demos/playground", beforeLoad: page => RequireKeyAsync(page, new()));
        var page = browser.Page;
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new LocatorFilterOptions { HasText = "list the models" })).ToContainTextAsync("401");

        await page.GetByTestId("playground-prompt").FillAsync("Once upon a time");
        await page.GetByTestId("playground-run").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel" }).ClickAsync();

        await Expect(page.Locator("#run-error")).ToHaveTextAsync("401 Unauthorized: no API key given");
        await Expect(page.GetByTestId("playground-run")).ToBeEnabledAsync();
        Assert.That(await page.EvaluateAsync<string?>("() => localStorage.getItem('takeoff.apiKey')"), Is.Null);
    }

    private static async Task RequireKeyAsync(IPage page, ConcurrentQueue<(string Url, string? Authorization)> seen) =>
        await page.RouteAsync(
            url => url.Contains("/v1/", StringComparison.Ordinal) || url.EndsWith("/generate_stream", StringComparison.Ordinal),
            async route =>
            {
                var authorization = route.Request.Headers.TryGetValue("authorization", out var value) ? value : null;
                seen.Enqueue((route.Request.Url, authorization));
                if (authorization == $"Bearer {Key}")
                {
                    await route.ContinueAsync();
                    return;
                }
                await route.FulfillAsync(new RouteFulfillOptions
                {
                    Status = 401,
                    ContentType = "application/json",
                    Body = """{"error": {"message": "A valid API key is required.", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}""",
                });
            });

    private static string Url(string path) => new Uri(BrowserServer.Instance.Client.BaseAddress!, path).ToString();
}
