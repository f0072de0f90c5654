using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Takeoff.Tests.Browser;

internal sealed class LayoutTests
{
    [TestCase("/", "send", 360)]
    [TestCase("/", "send", 1280)]
    [TestCase("/demos/playground", "playground-run", 360)]
    [TestCase("/demos/playground", "playground-run", 1280)]
    public async Task Page_FitsTheWindowWidth_ItsMainButtonInView(string path, string button, int width)
    {
        await using var browser = await BrowserPage.OpenAsync(path, new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 740 },
        });
        var page = browser.Page;
        await Expect(page.Locator("select option").First).ToBeAttachedAsync();

        Assert.That(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(width), "nothing scrolls sideways");
        var box = await page.GetByTestId(button).BoundingBoxAsync();
        Assert.That(box!.X + box.Width, Is.LessThanOrEqualTo(width));
        await Expect(page.GetByTestId(button)).ToBeInViewportAsync();
        if (width == 360)
            await browser.ScreenshotAsync($"{(path == "/" ? "chat" : "playground")}-360px");
    }

    [TestCase(ColorScheme.Light, "rgb(255, 255, 255)")]
    [TestCase(ColorScheme.Dark, "rgb(13, 17, 23)")]
    public async Task Colors_FollowPrefersColorScheme(ColorScheme scheme, string background)
    {
        await using var browser = await BrowserPage.OpenAsync("/", new BrowserNewContextOptions { ColorScheme = scheme });

        Assert.That(await browser.Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor"), Is.EqualTo(background));
    }
}
