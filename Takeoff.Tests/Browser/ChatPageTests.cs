using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Takeoff.Engine;
using Takeoff.Tests.Integration;
using static Microsoft.Playwright.Assertions;

namespace Takeoff.Tests.Browser;

internal sealed class ChatPageTests
{
    // Greedy decoding of stories260K-chat does not end by itself: an answer this long is still running when stopped.
    private const int Endless = 1500;

    [TestCase("/")]
    [TestCase("/demos/chat")]
    public async Task Loads_WithoutConsoleErrors(string path)
    {
        await using var browser = await BrowserPage.OpenAsync(path);
        await ChatPage.ReadyAsync(browser);

        Assert.That(await browser.Page.TitleAsync(), Is.EqualTo("Takeoff chat"));
        await Expect(browser.Page.GetByTestId("prompt")).ToBeVisibleAsync();
        Assert.That(browser.Errors, Is.Empty);
    }

    [Test]
    public async Task ModelPicker_ListsTheGroupsThenTheModelNames()
    {
        await using var browser = await BrowserPage.OpenAsync("/");
        var chat = await ChatPage.ReadyAsync(browser);

        var listed = (await BrowserServer.Instance.Client.GetJsonAsync("/v1/models"))["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>());
        var options = await chat.ModelPicker.Locator("option").AllInnerTextsAsync();
        Assert.That(options, Is.EqualTo(new[] { "primary", "stories", "small", "busy", "qwen", "chatty", "story", "tiny", "jammed", "qwen2" }));
        Assert.That(options, Is.EqualTo(listed));
        Assert.That(await chat.ModelPicker.InputValueAsync(), Is.EqualTo("primary"));
    }

    [Test]
    public async Task Message_StreamsAnAnswerThatGrowsOverSeveralFrames()
    {
        await using var browser = await BrowserPage.OpenAsync("/");
        var chat = await ChatPage.ReadyAsync(browser);
        await chat.SetAsync("Temperature", "0");
        await chat.SetAsync("Max tokens", "300");
        // Sample the answer's visible length once per frame while it streams.
        await browser.Page.EvaluateAsync("""
            () => {
              window.answerLengths = [];
              const sample = () => {
                const answers = document.querySelectorAll('[data-testid=message-assistant] .content');
                window.answerLengths.push(answers.length ? answers[answers.length - 1].textContent.length : 0);
                requestAnimationFrame(sample);
              };
              requestAnimationFrame(sample);
            }
            """);

        await chat.SendAsync("Hi");
        var answer = await chat.WaitForAnswerAsync(1);

        var lengths = await browser.Page.EvaluateAsync<int[]>("() => window.answerLengths");
        var partial = lengths.Where(length => length > 1 && length < answer.Length).Distinct().ToArray();
        Assert.That(partial, Has.Length.GreaterThanOrEqualTo(2), $"frames saw lengths {string.Join(",", lengths.Distinct())} of {answer.Length}");
        await Expect(chat.UserMessages.Locator(".content")).ToHaveTextAsync(["Hi"]);
        await Expect(chat.Answers.GetByTestId("answer-stats")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(
            @"^300 tokens · first token \d+ ms · \d+ tokens/s · hit the token limit$"));
        Assert.That(browser.Errors, Is.Empty);
        await browser.ScreenshotAsync("chat");
    }

    [Test]
    public async Task Stop_EndsTheAnswer_AndTheServerFreesItsSlot()
    {
        await using var browser = await BrowserPage.OpenAsync("/");
        var chat = await ChatPage.ReadyAsync(browser);
        await chat.SetAsync("Temperature", "0");
        await chat.SetAsync("Max tokens", Endless.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var finished = new FinishedRequests();

        await chat.SendAsync("Hi");
        await chat.WaitForTextAsync(20);
        Assert.That(Chatty().ActiveSequences, Is.EqualTo(1), "the answer is still being generated");
        await chat.Stop.ClickAsync();

        var generated = await finished.WaitForAsync("cancelled", TimeSpan.FromSeconds(10), model: "chatty");
        Assert.That(generated, Is.LessThan(Endless));
        Assert.That(Chatty().ActiveSequences, Is.Zero);
        await Expect(chat.Answers.GetByTestId("answer-stats")).ToContainTextAsync("stopped");
        await Expect(chat.Send).ToBeEnabledAsync();
        await Expect(chat.Stop).ToBeDisabledAsync();
    }

    [Test]
    public async Task SecondTurn_SendsTheHistory()
    {
        await using var browser = await BrowserPage.OpenAsync("/");
        var chat = await ChatPage.ReadyAsync(browser);
        await browser.Page.GetByLabel("System prompt").FillAsync("You tell short stories.");
        await chat.SetAsync("Temperature", "0");
        await chat.SetAsync("Max tokens", "24");

        await chat.SendAsync("Hi");
        await chat.WaitForAnswerAsync(1);
        await chat.SendAsync("Tell me more");
        await chat.WaitForAnswerAsync(2);

        Assert.That(chat.Requests, Has.Count.EqualTo(2));
        // The first request again, unstreamed: greedy, so the server answers exactly what the page was sent.
        var replay = chat.Requests[0].DeepClone().AsObject();
        replay.Remove("stream");
        replay.Remove("stream_options");
        var firstAnswer = (await BrowserServer.Instance.Client.PostJsonAsync("/v1/chat/completions", replay))
            ["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        Assert.That(firstAnswer, Is.Not.Empty);
        var expected = new JsonArray(
            Message("system", "You tell short stories."), Message("user", "Hi"),
            Message("assistant", firstAnswer), Message("user", "Tell me more"));
        var second = chat.Requests[1];
        Assert.That(JsonNode.DeepEquals(second["messages"], expected), Is.True, second.ToJsonString());
        Assert.That(second["model"]!.GetValue<string>(), Is.EqualTo("primary"));
        Assert.That(second["stream"]!.GetValue<bool>(), Is.True);
        Assert.That(second["temperature"]!.GetValue<double>(), Is.Zero);
        Assert.That(second["max_tokens"]!.GetValue<int>(), Is.EqualTo(24));
    }

    [Test]
    public async Task Conversation_SurvivesAReload()
    {
        await using var browser = await BrowserPage.OpenAsync("/");
        var chat = await ChatPage.ReadyAsync(browser);
        await chat.SetAsync("Temperature", "0");
        await chat.SetAsync("Max tokens", "16");
        await chat.SendAsync("Hi there");
        var answer = await chat.WaitForAnswerAsync(1);

        await browser.Page.ReloadAsync();
        await chat.WaitUntilModelsListedAsync();

        await Expect(chat.UserMessages.Locator(".content")).ToHaveTextAsync(["Hi there"]);
        Assert.That(await chat.WaitForAnswerAsync(1), Is.EqualTo(answer));
        await Expect(chat.Answers).ToHaveCountAsync(1);
        await Expect(chat.Answers.GetByTestId("answer-stats")).ToContainTextAsync("16 tokens");
        await Expect(browser.Page.Locator("#conversation-list li[aria-current=true] .open")).ToHaveTextAsync("Hi there");
        Assert.That(await browser.Page.GetByLabel("Max tokens", new() { Exact = true }).InputValueAsync(), Is.EqualTo("16"));
    }

    [Test]
    public async Task PromptOverTheContext_The400IsShownInPlace()
    {
        await using var browser = await BrowserPage.OpenAsync("/");
        var chat = await ChatPage.ReadyAsync(browser);
        var tooLong = string.Concat(Enumerable.Repeat("once upon a time ", 30));
        using var direct = await BrowserServer.Instance.Client.PostAsJsonAsync("/v1/chat/completions",
            new { model = "small", messages = new[] { new { role = "user", content = tooLong } } });
        var serverMessage = JsonNode.Parse(await direct.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>();
        Assert.That((int)direct.StatusCode, Is.EqualTo(400));

        await chat.ModelPicker.SelectOptionAsync("small");
        await chat.SendAsync(tooLong);

        var alert = chat.Answers.Last.GetByRole(Microsoft.Playwright.AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("400");
        await Expect(alert).ToContainTextAsync(serverMessage);
        await Expect(chat.Send).ToBeEnabledAsync();
        Assert.That(browser.ErrorsBesidesRefusedRequests, Is.Empty);
    }

    [Test]
    public async Task ServerFull_The503AndItsRetryAfterAreShownInPlace()
    {
        await using var browser = await BrowserPage.OpenAsync("/");
        var chat = await ChatPage.ReadyAsync(browser);
        // Two endless answers take the one slot of "busy" and the one place in its queue.
        using var stop = new CancellationTokenSource();
        var endless = new { model = "busy", messages = new[] { new { role = "user", content = "Hi" } }, temperature = 0, max_tokens = Endless };
        var running = BrowserServer.Instance.Client.PostAsJsonAsync("/v1/chat/completions", endless, stop.Token);
        var waiting = BrowserServer.Instance.Client.PostAsJsonAsync("/v1/chat/completions", endless, stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Reader("jammed") is var jammed && (jammed.ActiveSequences < 1 || jammed.QueuedSequences < 1))
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the two requests never filled the slot and the queue");
            await Task.Delay(5);
        }

        await chat.ModelPicker.SelectOptionAsync("busy");
        await chat.SendAsync("Anyone there?");

        var alert = chat.Answers.Last.GetByRole(Microsoft.Playwright.AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("503 Service Unavailable");
        await Expect(alert).ToContainTextAsync("(retry after 1 s)");
        await stop.CancelAsync();
        Assert.CatchAsync<OperationCanceledException>(async () => await Task.WhenAll(running, waiting));
        Assert.That(browser.ErrorsBesidesRefusedRequests, Is.Empty);
    }

    [Test]
    public async Task Keyboard_EnterSends_ShiftEnterIsANewLine_EscStops()
    {
        await using var browser = await BrowserPage.OpenAsync("/");
        var chat = await ChatPage.ReadyAsync(browser);
        await chat.SetAsync("Temperature", "0");
        await chat.SetAsync("Max tokens", Endless.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var finished = new FinishedRequests();

        await chat.Prompt.PressSequentiallyAsync("line one");
        await chat.Prompt.PressAsync("Shift+Enter");
        await chat.Prompt.PressSequentiallyAsync("line two");
        Assert.That(await chat.Prompt.InputValueAsync(), Is.EqualTo("line one\nline two"));
        await chat.Prompt.PressAsync("Enter");
        await chat.WaitForTextAsync(20);
        await browser.Page.Keyboard.PressAsync("Escape");

        Assert.That(await finished.WaitForAsync("cancelled", TimeSpan.FromSeconds(10), model: "chatty"), Is.LessThan(Endless));
        Assert.That(chat.Requests.Single()["messages"]!.AsArray().Last()!["content"]!.GetValue<string>(), Is.EqualTo("line one\nline two"));
        Assert.That(await chat.Prompt.InputValueAsync(), Is.Empty);
        await Expect(chat.Answers.GetByTestId("answer-stats")).ToContainTextAsync("stopped");
    }

    [Test]
    public async Task Regenerate_AsksAgainWithoutTheOldAnswer_AndCopyCopiesAMessage()
    {
        await using var browser = await BrowserPage.OpenAsync("/");
        await browser.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var chat = await ChatPage.ReadyAsync(browser);
        await chat.SetAsync("Temperature", "0");
        await chat.SetAsync("Max tokens", "12");
        await chat.SendAsync("Hi");
        var first = await chat.WaitForAnswerAsync(1);

        await browser.Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Regenerate the last answer" }).ClickAsync();
        await Expect(chat.Answers.GetByTestId("answer-stats")).ToContainTextAsync("12 tokens");
        var second = await chat.Answers.Locator(".content").InnerTextAsync();

        Assert.That(chat.Requests, Has.Count.EqualTo(2));
        Assert.That(JsonNode.DeepEquals(chat.Requests[1]["messages"], chat.Requests[0]["messages"]), Is.True);
        await Expect(chat.Answers).ToHaveCountAsync(1);
        await chat.UserMessages.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Copy this message" }).ClickAsync();
        Assert.That(await browser.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"), Is.EqualTo("Hi"));
        Assert.That(second, Is.EqualTo(first).And.Not.Empty, "greedy: the same answer again");
    }

    private static Takeoff.Engine.Readers.ReaderSnapshot Chatty() => Reader("chatty");

    private static Takeoff.Engine.Readers.ReaderSnapshot Reader(string name) =>
        BrowserServer.Instance.Service<InferenceEngine>().Readers().Single(r => r.Entry.Name == name);

    private static JsonObject Message(string role, string content) => new() { ["role"] = role, ["content"] = content };
}
