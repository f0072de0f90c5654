using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Takeoff.Tests.Browser;

/// <summary>
/// Tool calls on the pages, with the shared Qwen2 vocabulary model ("qwen"): its weights are random, so only a forced
/// call (tool_choice "required" or a named function) is meaningful, and then its arguments follow the tool's schema.
/// </summary>
internal sealed class ToolCallPageTests
{
    // "reason" makes the arguments ({"city": "", "reason": ""} and at least 24 characters) longer than the 48
    // characters the server streams per piece, so the page has to put a call's arguments together from several deltas.
    private const string Tools = """
        [{"type": "function", "function": {"name": "get_weather", "description": "The weather in a city.", "strict": true,
          "parameters": {"type": "object", "properties": {"city": {"type": "string", "maxLength": 12},
                                                          "reason": {"type": "string", "minLength": 24, "maxLength": 32}},
                         "required": ["city", "reason"], "additionalProperties": false}}}]
        """;

    private const int ForcedCallTimeout = 120_000;

    [Test]
    public async Task Chat_RequiredCall_IsShownAsABlockWithItsNameAndJsonArguments()
    {
        await using var browser = await BrowserPage.OpenAsync("/");
        var chat = await OfferToolsAsync(browser, "required");

        await chat.SendAsync("Weather in Paris?");
        await WaitForAnswerAsync(chat, 1);

        var calls = chat.Answers.Nth(0).GetByTestId("tool-call");
        Assert.That(await calls.CountAsync(), Is.InRange(1, 4));
        foreach (var call in await calls.AllAsync())
            await AssertShowsAValidCallAsync(call);
        var sent = chat.Requests.Single();
        Assert.That(sent["model"]!.GetValue<string>(), Is.EqualTo("qwen"));
        Assert.That(sent["tool_choice"]!.GetValue<string>(), Is.EqualTo("required"));
        Assert.That(JsonNode.DeepEquals(sent["tools"], JsonNode.Parse(Tools)), Is.True, sent.ToJsonString());
        Assert.That(sent["stream"]!.GetValue<bool>(), Is.True, "the calls were assembled from streamed deltas");
        // The calls arrive whole when the answer ends: no "first token" time, the rate over the whole answer.
        await Expect(chat.Answers.Nth(0).GetByTestId("answer-stats")).ToHaveTextAsync(
            new System.Text.RegularExpressions.Regex(@"^\d+ tokens · \d+ ms · \d+ tokens/s$"));
        // Content beside the calls is empty: the text block is not shown, the calls are.
        await Expect(chat.Answers.Nth(0).Locator(".content")).ToBeHiddenAsync();
        Assert.That(browser.Errors, Is.Empty);
        await browser.ScreenshotAsync("chat-tool-call");
    }

    [Test]
    public async Task Chat_SendResult_ShowsTheResultByItsCall_AsksForTheNextAnswer_AndAllOfItIsKept()
    {
        await using var browser = await BrowserPage.OpenAsync("/");
        var page = browser.Page;
        var chat = await OfferToolsAsync(browser, "required");
        await chat.SendAsync("Weather in Paris?");
        await WaitForAnswerAsync(chat, 1);
        var callIds = await chat.Answers.Nth(0).GetByTestId("tool-call").EvaluateAllAsync<string[]>("blocks => blocks.map(b => b.dataset.callId)");
        Assert.That(callIds, Is.Not.Empty);
        Assert.That(callIds, Has.All.StartWith("call_"));

        // The next answer is text: no tools rendered, a few tokens.
        await page.GetByLabel("Tool choice").SelectOptionAsync("none");
        await chat.SetAsync("Max tokens", "8");
        for (var i = 0; i < callIds.Length; i++)
        {
            var input = page.GetByTestId("tool-result-input").First;
            await input.FillAsync($"{{\"sky\": \"sunny {i}\"}}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send result" }).First.ClickAsync();
        }
        await WaitForAnswerAsync(chat, 2);

        await AssertResultsAsync(chat, callIds);
        await Expect(chat.Answers.Nth(1).GetByTestId("answer-stats")).ToContainTextAsync("8 tokens");
        Assert.That(chat.Requests, Has.Count.EqualTo(2), "one answer for all the results");
        var history = chat.Requests[1]["messages"]!.AsArray();
        var assistant = history.Single(m => m!["role"]!.GetValue<string>() == "assistant")!;
        Assert.That(assistant["tool_calls"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()), Is.EqualTo(callIds));
        var results = history.Where(m => m!["role"]!.GetValue<string>() == "tool").ToArray();
        Assert.That(results.Select(m => m!["tool_call_id"]!.GetValue<string>()), Is.EqualTo(callIds));
        Assert.That(results.Select(m => m!["name"]!.GetValue<string>()), Has.All.EqualTo("get_weather"));
        Assert.That(results[0]!["content"]!.GetValue<string>(), Is.EqualTo("{\"sky\": \"sunny 0\"}"));
        Assert.That(chat.Requests[1]["tool_choice"]!.GetValue<string>(), Is.EqualTo("none"));

        // Kept in the browser: after a reload, and through an export and an import.
        await page.ReloadAsync();
        await chat.WaitUntilModelsListedAsync();
        await AssertResultsAsync(chat, callIds);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export" }).ClickAsync());
        var path = (await download.PathAsync())!;
        await page.EvaluateAsync("() => localStorage.removeItem('takeoff.chat.conversations')");
        await page.ReloadAsync();
        await Expect(chat.Answers).ToHaveCountAsync(0);
        await page.GetByLabel("Import").SetInputFilesAsync(path);
        await Expect(page.Locator("#conversations-status")).ToHaveTextAsync("Imported 1 conversation.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open Weather in Paris?" }).ClickAsync();
        await AssertResultsAsync(chat, callIds);
        Assert.That(browser.Errors, Is.Empty);
        await browser.ScreenshotAsync("chat-tool-result");
    }

    [Test]
    public async Task Playground_V1WithANamedFunction_ShowsTheCall()
    {
        await using var browser = await BrowserPage.OpenAsync("/demos/playground");
        var page = browser.Page;
        var sent = new List<JsonNode>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/v1/chat/completions", StringComparison.Ordinal))
                sent.Add(JsonNode.Parse(request.PostData!)!);
        };
        await Expect(page.GetByLabel("consumer_group").Locator("option")).Not.ToHaveCountAsync(0);
        await page.GetByLabel("API").SelectOptionAsync("/v1/chat/completions");
        await page.GetByLabel("consumer_group").SelectOptionAsync("qwen");
        await page.GetByLabel("tools (JSON array)").FillAsync(Tools);
        await page.GetByLabel("tool_choice").SelectOptionAsync("function get_weather");
        await page.GetByTestId("playground-prompt").FillAsync("Weather in Paris?");

        await page.GetByTestId("playground-run").ClickAsync();
        await Expect(page.GetByTestId("playground-metadata")).ToContainTextAsync("finish_reason", new() { Timeout = ForcedCallTimeout });

        var calls = page.GetByTestId("playground-tool-calls").GetByTestId("tool-call");
        Assert.That(await calls.CountAsync(), Is.InRange(1, 4));
        foreach (var call in await calls.AllAsync())
            await AssertShowsAValidCallAsync(call);
        await Expect(page.GetByTestId("playground-metadata").Locator("dd").First).ToHaveTextAsync("tool_calls");
        var body = sent.Single();
        Assert.That(body["model"]!.GetValue<string>(), Is.EqualTo("qwen"));
        Assert.That(body["messages"]![0]!["content"]!.GetValue<string>(), Is.EqualTo("Weather in Paris?"));
        Assert.That(body["tool_choice"]!["function"]!["name"]!.GetValue<string>(), Is.EqualTo("get_weather"));
        Assert.That(body["tools"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(browser.Errors, Is.Empty);
        await browser.ScreenshotAsync("playground-tool-call");
    }

    [Test]
    public async Task Chat_CallDeltasInterleavedByIndex_AreJoined_AndShownAsText()
    {
        // A crafted stream (as AnswerRenderingTests does): two calls whose pieces alternate, markup in the name and
        // arguments. A call's name and arguments are model output, as untrusted as its text.
        var deltas = new object[]
        {
            new { index = 0, id = "call_a", type = "function", function = new { name = "<img src=x onerror=window.pwned=1>", arguments = "" } },
            new { index = 1, id = "call_b", type = "function", function = new { name = "second", arguments = "" } },
            new { index = 0, function = new { arguments = "{\"html\": \"<b>bold" } },
            new { index = 1, function = new { arguments = "[1, " } },
            new { index = 0, function = new { arguments = "</b>\"}" } },
            new { index = 1, function = new { arguments = "2]" } },
        };
        var events = deltas.Select(d => Chunk(new { tool_calls = new[] { d } }, null)).Append(Chunk(new { }, "tool_calls"));
        var body = string.Concat(events.Select(e => $"data: {JsonSerializer.Serialize(e)}\n\n")) + "data: [DONE]\n\n";
        await using var browser = await BrowserPage.OpenAsync("/", beforeLoad: page => page.RouteAsync("**/v1/chat/completions",
            route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/event-stream", Body = body })));
        var chat = await ChatPage.ReadyAsync(browser);

        await chat.SendAsync("Call them");
        await WaitForAnswerAsync(chat, 1);

        var calls = chat.Answers.GetByTestId("tool-call");
        await Expect(calls.GetByTestId("tool-call-name")).ToHaveTextAsync(["<img src=x onerror=window.pwned=1>", "second"]);
        await Expect(calls.GetByTestId("tool-call-arguments")).ToHaveTextAsync(["{\n  \"html\": \"<b>bold</b>\"\n}", "[\n  1,\n  2\n]"]);
        await Expect(chat.Answers.Locator("img, b")).ToHaveCountAsync(0);
        Assert.That(await browser.Page.EvaluateAsync<bool>("() => window.pwned === undefined"), Is.True);
        await Expect(browser.Page.GetByRole(AriaRole.Textbox, new() { Name = "Result of second" })).ToBeVisibleAsync();
    }

    [Test]
    public async Task Chat_ToolsThatAreNotJson_SaySoAndSendNothing()
    {
        await using var browser = await BrowserPage.OpenAsync("/");
        var chat = await ChatPage.ReadyAsync(browser);
        await browser.Page.Locator("#tools-panel > summary").ClickAsync();
        await browser.Page.GetByLabel("Tools (JSON array of OpenAI tool definitions)").FillAsync("[{\"type\": ");

        await chat.SendAsync("Weather in Paris?");

        await Expect(browser.Page.Locator("#tools-error")).ToContainTextAsync("tools is not valid JSON");
        Assert.That(chat.Requests, Is.Empty);
        await Expect(chat.UserMessages).ToHaveCountAsync(0);
        Assert.That(await chat.Prompt.InputValueAsync(), Is.EqualTo("Weather in Paris?"), "the message stays to send again");
    }

    private static object Chunk(object delta, string? finishReason) => new
    {
        id = "chatcmpl-test",
        @object = "chat.completion.chunk",
        model = "primary",
        choices = new[] { new { index = 0, delta, finish_reason = finishReason } },
    };

    /// <summary>The chat page on "qwen" with the weather tool offered and the given tool_choice.</summary>
    private static async Task<ChatPage> OfferToolsAsync(BrowserPage browser, string toolChoice)
    {
        var chat = await ChatPage.ReadyAsync(browser);
        await chat.ModelPicker.SelectOptionAsync("qwen");
        await browser.Page.Locator("#tools-panel > summary").ClickAsync();
        await browser.Page.GetByLabel("Tools (JSON array of OpenAI tool definitions)").FillAsync(Tools);
        await browser.Page.GetByLabel("Tool choice").SelectOptionAsync(toolChoice);
        return chat;
    }

    private static Task WaitForAnswerAsync(ChatPage chat, int number) =>
        Expect(chat.Answers.Nth(number - 1).GetByTestId("answer-stats")).ToContainTextAsync("token", new() { Timeout = ForcedCallTimeout });

    /// <summary>A call block names get_weather and shows arguments that are JSON valid against its schema.</summary>
    private static async Task AssertShowsAValidCallAsync(ILocator call)
    {
        await Expect(call.GetByTestId("tool-call-name")).ToHaveTextAsync("get_weather");
        var shown = await call.GetByTestId("tool-call-arguments").TextContentAsync();
        using var arguments = JsonDocument.Parse(shown!);
        var properties = arguments.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.That(properties.Keys, Is.EquivalentTo(new[] { "city", "reason" }), shown);
        // The lengths count characters (code points); random weights like characters outside the BMP.
        Assert.That(properties["city"].EnumerateRunes().Count(), Is.LessThanOrEqualTo(12), shown);
        Assert.That(properties["reason"].EnumerateRunes().Count(), Is.InRange(24, 32), shown);
        Assert.That(shown, Does.StartWith("{\n  \""), "pretty-printed");
    }

    /// <summary>Each call has its result right after the answer, tied by id and name, and no call waits for one.</summary>
    private static async Task AssertResultsAsync(ChatPage chat, string[] callIds)
    {
        var page = chat.Page;
        await Expect(page.GetByTestId("message-tool")).ToHaveCountAsync(callIds.Length);
        var results = page.GetByTestId("tool-result");
        Assert.That(await results.EvaluateAllAsync<string[]>("blocks => blocks.map(b => b.dataset.callId)"), Is.EqualTo(callIds));
        await Expect(results.GetByTestId("tool-result-name")).ToHaveTextAsync(callIds.Select(_ => "get_weather").ToArray());
        await Expect(results.Nth(0).GetByTestId("tool-result-content")).ToHaveTextAsync("{\"sky\": \"sunny 0\"}");
        await Expect(page.GetByTestId("tool-result-input")).ToHaveCountAsync(0);
        await Expect(chat.Answers).ToHaveCountAsync(2);
        await Expect(chat.Answers.Nth(0).GetByTestId("tool-call")).ToHaveCountAsync(callIds.Length);
        var order = await page.Locator("#messages > article").EvaluateAllAsync<string[]>("all => all.map(a => a.dataset.testid)");
        Assert.That(order, Is.EqualTo(new[] { "message-user", "message-assistant" }
            .Concat(callIds.Select(_ => "message-tool")).Append("message-assistant")));
    }
}
