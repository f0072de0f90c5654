using Microsoft.Playwright;

namespace Takeoff.Tests.Browser;

/// <summary>
/// Debian's Chromium, driven by Playwright (whose own browser download cannot work on a closed network).
/// <c>/usr/lib/chromium/chromium</c> is the real binary; <c>/usr/bin/chromium</c> only wraps it.
/// </summary>
internal static class Chromium
{
    public const string PathVariable = "TAKEOFF_CHROMIUM";
    private const string DebianBinary = "/usr/lib/chromium/chromium";

    // Playwright gives every launch a fresh temporary profile (--user-data-dir); these keep Chromium off the network.
    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        var path = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } chosen ? chosen : DebianBinary;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The browser tests need Chromium at {path}: install Debian's (apt-get install -y chromium; .ci/run does) "
                + $"or set {PathVariable} to a Chromium binary.");
        }
        try
        {
            return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            });
        }
        catch (PlaywrightException error)
        {
            throw new InvalidOperationException($"Chromium at {path} did not start: {error.Message}", error);
        }
    }
}
