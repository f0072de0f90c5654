using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Takeoff.Tests.Integration;
using static Microsoft.Playwright.Assertions;

namespace Takeoff.Tests.Browser;

internal sealed partial class PlaygroundPageTests
{
    [Test]
    public async Task Run_WithEveryParameter_StreamsTheOutputAndShowsTheMetadata()
    {
        await using var browser = await BrowserPage.OpenAsync("/demos/playground");
        var page = browser.Page;
        var sent = RecordRuns(page);
        await WaitForGroupsAsync(page);
        await page.GetByTestId("playground-prompt").FillAsync("Once upon a time");
        await page.GetByLabel("consumer_group").SelectOptionAsync("stories");
        foreach (var (field, value) in new[]
        {
            ("max_new_tokens", "24"), ("min_new_tokens", "4"), ("sampling_temperature", "0.8"), ("sampling_topk", "40"),
            ("sampling_topp", "0.9"), ("repetition_penalty", "1.1"), ("no_repeat_ngram_size", "3"),
            ("prompt_max_tokens", "64"), ("seed", "7"),
        })
        {
            await page.GetByLabel(field, new PageGetByLabelOptions { Exact = true }).FillAsync(value);
        }
        await page.GetByLabel("stop (one per line, \\n for a newline)").FillAsync("Zebra\nunicorn");

        await page.GetByTestId("playground-run").ClickAsync();
        var metadata = page.GetByTestId("playground-metadata");
        await Expect(metadata).ToContainTextAsync("finish_reason");

        var expected = JsonNode.Parse("""
            {"text": "Once upon a time", "max_new_tokens": 24, "min_new_tokens": 4, "sampling_temperature": 0.8,
             "sampling_topk": 40, "sampling_topp": 0.9, "repetition_penalty": 1.1, "no_repeat_ngram_size": 3,
             "prompt_max_tokens": 64, "seed": 7, "consumer_group": "stories", "stop": ["Zebra", "unicorn"],
             "return_metadata": true}
            """);
        Assert.That(JsonNode.DeepEquals(sent.Single(), expected), Is.True, sent.Single().ToJsonString());
        // Seeded: /generate with the same body samples the same text and reports the same figures.
        var answer = await BrowserServer.Instance.Client.GenerateAsync(expected!);
        Assert.That(await page.GetByTestId("playground-output").TextContentAsync(), Is.EqualTo(answer["text"]!.GetValue<string>()));
        var shown = await MetadataAsync(page);
        foreach (var field in new[] { "prompt_tokens", "generated_tokens", "finish_reason" })
            Assert.That(shown[field], Is.EqualTo(answer["metadata"]![field]!.ToString()), field);
        Assert.That(shown.Keys, Is.SupersetOf(new[] { "time_to_first_token_ms", "tokens_per_second" }));
        Assert.That(browser.Errors, Is.Empty);
        await browser.ScreenshotAsync("playground");
    }

    [Test]
    public async Task ChatTemplate_PiecesHoldingNewlinesArriveWhole()
    {
        await using var browser = await BrowserPage.OpenAsync("/demos/playground");
        var page = browser.Page;
        var sent = RecordRuns(page);
        await WaitForGroupsAsync(page);
        await page.GetByTestId("playground-prompt").FillAsync("Hi");
        await page.GetByLabel("max_new_tokens", new PageGetByLabelOptions { Exact = true }).FillAsync("40");
        await page.GetByLabel("use_chat_template").CheckAsync();

        await page.GetByTestId("playground-prompt").PressAsync("Enter");
        await Expect(page.GetByTestId("playground-metadata")).ToContainTextAsync("finish_reason");

        // Greedy (sampling_topk defaults to 1): the same text as /generate, newlines (several SSE data lines) included.
        Assert.That(sent.Single()["use_chat_template"]!.GetValue<bool>(), Is.True);
        var expected = (await BrowserServer.Instance.Client.GenerateAsync(sent.Single()))["text"]!.GetValue<string>();
        Assert.That(expected, Does.Contain("\n"), "the test needs an answer with a newline");
        Assert.That(await page.GetByTestId("playground-output").TextContentAsync(), Is.EqualTo(expected));
    }

    [Test]
    public async Task RegexConstraint_IsSentAndTheOutputMatchesIt()
    {
        await using var browser = await BrowserPage.OpenAsync("/demos/playground");
        var page = browser.Page;
        var sent = RecordRuns(page);
        await WaitForGroupsAsync(page);
        await page.GetByTestId("playground-prompt").FillAsync("Once upon a time");
        await page.GetByLabel("regex_string").FillAsync("(yes|no), (red|blue)");

        await page.GetByTestId("playground-run").ClickAsync();

        await Expect(page.GetByTestId("playground-metadata")).ToContainTextAsync("finish_reason");
        Assert.That(sent.Single()["regex_string"]!.GetValue<string>(), Is.EqualTo("(yes|no), (red|blue)"));
        Assert.That(await page.GetByTestId("playground-output").TextContentAsync(), Does.Match("^(yes|no), (red|blue)$"));
        Assert.That(browser.Errors, Is.Empty);
    }

    [Test]
    public async Task JsonSchemaThatIsNotJson_SaysSoAndSendsNothing()
    {
        await using var browser = await BrowserPage.OpenAsync("/demos/playground");
        var page = browser.Page;
        var sent = RecordRuns(page);
        await WaitForGroupsAsync(page);
        await page.GetByTestId("playground-prompt").FillAsync("Once upon a time");
        await page.GetByLabel("json_schema").FillAsync("{\"type\": ");

        await page.GetByTestId("playground-run").ClickAsync();

        await Expect(page.Locator("#run-error")).ToContainTextAsync("json_schema is not valid JSON");
        Assert.That(sent, Is.Empty);
    }

    [Test]
    public async Task PromptOverTheContext_The400IsShownInPlace()
    {
        await using var browser = await BrowserPage.OpenAsync("/demos/playground");
        var page = browser.Page;
        await WaitForGroupsAsync(page);
        var tooLong = string.Concat(Enumerable.Repeat("once upon a time ", 30));
        using var direct = await BrowserServer.Instance.Client.PostAsJsonAsync("/generate", new { text = tooLong, consumer_group = "small" });
        var detail = JsonNode.Parse(await direct.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();

        await page.GetByTestId("playground-prompt").FillAsync(tooLong);
        await page.GetByLabel("consumer_group").SelectOptionAsync("small");
        await page.GetByTestId("playground-run").ClickAsync();

        var alert = page.GetByRole(AriaRole.Alert).Filter(new LocatorFilterOptions { HasText = "400" });
        await Expect(alert).ToContainTextAsync(detail);
        await Expect(alert).ToContainTextAsync("text:");
        await Expect(page.GetByTestId("playground-output")).ToBeEmptyAsync();
        await Expect(page.GetByTestId("playground-run")).ToBeEnabledAsync();
        Assert.That(browser.ErrorsBesidesRefusedRequests, Is.Empty);
    }

    [Test]
    public async Task CopyAsCurlAndPython_HoldTheRequestThatRunSends()
    {
        await using var browser = await BrowserPage.OpenAsync("/demos/playground");
        await browser.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var page = browser.Page;
        var sent = RecordRuns(page);
        await WaitForGroupsAsync(page);
        await page.GetByTestId("playground-prompt").FillAsync("It's a \"quoted\" prompt");
        await page.GetByLabel("max_new_tokens", new PageGetByLabelOptions { Exact = true }).FillAsync("8");
        await page.GetByTestId("playground-run").ClickAsync();
        await Expect(page.GetByTestId("playground-metadata")).ToContainTextAsync("finish_reason");

        await page.GetByRole(AriaRole.Button, new() { Name = "Copy as curl" }).ClickAsync();
        var curl = await page.GetByLabel("Request snippet").TextContentAsync();
        Assert.That(await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"), Is.EqualTo(curl));
        var url = $"{BrowserServer.Instance.Client.BaseAddress}generate_stream";
        Assert.That(curl, Does.StartWith($"curl -N '{url}'").And.Contain("-H 'Accept: text/event-stream, application/problem+json'"));
        var body = CurlBody().Match(curl!).Groups[1].Value.Replace("'\\''", "'", StringComparison.Ordinal);
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(body), sent.Single()), Is.True, body);

        await page.GetByRole(AriaRole.Button, new() { Name = "Copy as Python" }).ClickAsync();
        var python = await page.GetByLabel("Request snippet").TextContentAsync();
        Assert.That(python, Does.Contain($"requests.post(\n    \"{url}\""));
        Assert.That(python, Does.Contain("\"text\": \"It's a \\\"quoted\\\" prompt\",").And.Contain("\"max_new_tokens\": 8,")
            .And.Contain("\"return_metadata\": True,").And.Contain("stream=True"));
    }

    [Test]
    public async Task Readers_ListsEveryReaderFromTheManagementApi()
    {
        await using var browser = await BrowserPage.OpenAsync("/demos/playground");
        var page = browser.Page;
        await page.GetByText("Readers", new() { Exact = true }).ClickAsync();

        var rows = page.Locator("#readers tbody tr");
        await Expect(rows).ToHaveCountAsync(5);
        foreach (var (group, model, context) in new[] { ("primary", "chatty", 2048), ("stories", "story", 2048), ("small", "tiny", 64), ("busy", "jammed", 2048), ("qwen", "qwen2", 2048) })
        {
            var row = rows.Filter(new LocatorFilterOptions { HasText = model });
            await Expect(row.Locator("td")).ToHaveTextAsync(new Regex[]
            {
                new($"^{group}$"), new($"^{model}-\\d+$"), new($"^{model}$"), new("^ready$"), new("^cpu$"), new(@"^\d+$"),
                new($"^{context.ToString(CultureInfo.InvariantCulture)}$"),
            });
        }
        Assert.That(browser.Errors, Is.Empty);
    }

    private static Task WaitForGroupsAsync(IPage page) =>
        Expect(page.GetByLabel("consumer_group").Locator("option")).ToHaveTextAsync(["primary", "stories", "small", "busy", "qwen"]);

    private static List<JsonNode> RecordRuns(IPage page)
    {
        var sent = new List<JsonNode>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/generate_stream", StringComparison.Ordinal))
            {
                Assert.That(request.Headers["accept"], Is.EqualTo("text/event-stream, application/problem+json"));
                sent.Add(JsonNode.Parse(request.PostData!)!);
            }
        };
        return sent;
    }

    private static async Task<Dictionary<string, string>> MetadataAsync(IPage page)
    {
        var metadata = page.GetByTestId("playground-metadata");
        var names = await metadata.Locator("dt").AllTextContentsAsync();
        var values = await metadata.Locator("dd").AllTextContentsAsync();
        return names.Zip(values).ToDictionary(pair => pair.First, pair => pair.Second);
    }

    [GeneratedRegex("-d '((?:[^']|'\\\\'')*)'$")]
    private static partial Regex CurlBody();
}
