using Microsoft.Playwright;

namespace Takeoff.Tests.Browser;

/// <summary>
/// A page of the server in a fresh browser context (its own localStorage), with the console errors and uncaught
/// exceptions it produced.
/// </summary>
internal sealed class BrowserPage : IAsyncDisposable
{
    private readonly List<string> _errors = [];

    private BrowserPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                _errors.Add(message.Text);
        };
        page.PageError += (_, error) => _errors.Add($"uncaught: {error}");
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Console errors and uncaught exceptions so far.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>
    /// The errors besides Chromium's own line for each refused request ("Failed to load resource: ... 400"), which
    /// it logs whatever the page does with the answer.
    /// </summary>
    public IEnumerable<string> ErrorsBesidesRefusedRequests => _errors.Where(e => !e.StartsWith("Failed to load resource", StringComparison.Ordinal));

    /// <param name="path">Where to go, e.g. "/" or "/demos/playground".</param>
    /// <param name="options">Viewport, color scheme...; the base URL is always the server's inference port.</param>
    /// <param name="beforeLoad">Runs before the page loads, e.g. to route its requests.</param>
    public static async Task<BrowserPage> OpenAsync(string path, BrowserNewContextOptions? options = null, Func<IPage, Task>? beforeLoad = null)
    {
        options ??= new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } };
        options.BaseURL = BrowserServer.Instance.Client.BaseAddress!.ToString();
        options.ColorScheme ??= ColorScheme.Light;
        var context = await BrowserServer.Browser.NewContextAsync(options);
        context.SetDefaultTimeout(30_000);
        var page = new BrowserPage(context, await context.NewPageAsync());
        if (beforeLoad is not null)
            await beforeLoad(page.Page);
        await page.Page.GotoAsync(path);
        return page;
    }

    /// <summary>A full-page screenshot under the test's work directory, attached to the test's result.</summary>
    public async Task ScreenshotAsync(string name)
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots", $"{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
