using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Takeoff.Tests.Browser;

/// <summary>The chat page as a user works it, through its test ids and labels; it records the chat requests sent.</summary>
internal sealed class ChatPage
{
    private readonly List<JsonNode> _requests = [];

    public ChatPage(IPage page)
    {
        Page = page;
        page.Request += (_, request) =>
        {
            if (IsChatCompletion(request))
                _requests.Add(JsonNode.Parse(request.PostData!)!);
        };
    }

    public IPage Page { get; }

    public ILocator Prompt => Page.GetByTestId("prompt");

    public ILocator Send => Page.GetByTestId("send");

    public ILocator Stop => Page.GetByTestId("stop");

    public ILocator ModelPicker => Page.GetByTestId("model-picker");

    public ILocator UserMessages => Page.GetByTestId("message-user");

    public ILocator Answers => Page.GetByTestId("message-assistant");

    /// <summary>Bodies of the /v1/chat/completions requests, in order.</summary>
    public IReadOnlyList<JsonNode> Requests => _requests;

    public static async Task<ChatPage> ReadyAsync(BrowserPage browser)
    {
        var chat = new ChatPage(browser.Page);
        await chat.WaitUntilModelsListedAsync();
        return chat;
    }

    public Task WaitUntilModelsListedAsync() => Expect(ModelPicker.Locator("option")).Not.ToHaveCountAsync(0);

    /// <summary>Fills the labelled setting, e.g. ("Temperature", "0").</summary>
    public Task SetAsync(string label, string value) => Page.GetByLabel(label, new PageGetByLabelOptions { Exact = true }).FillAsync(value);

    public async Task SendAsync(string text)
    {
        await Prompt.FillAsync(text);
        await Send.ClickAsync();
    }

    /// <summary>Waits until answer <paramref name="number"/> (1-based) is complete (its figures are shown); returns its text.</summary>
    public async Task<string> WaitForAnswerAsync(int number)
    {
        var answer = Answers.Nth(number - 1);
        await Expect(answer.GetByTestId("answer-stats")).ToContainTextAsync("token", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
        return await answer.Locator(".content").InnerTextAsync();
    }

    /// <summary>Waits until the last answer shows at least <paramref name="characters"/> characters.</summary>
    public async Task WaitForTextAsync(int characters) =>
        await Page.WaitForFunctionAsync(
            "n => { const all = document.querySelectorAll('[data-testid=message-assistant] .content'); return all.length > 0 && all[all.length - 1].textContent.length >= n; }",
            characters);

    private static bool IsChatCompletion(IRequest request) =>
        request.Method == "POST" && request.Url.EndsWith("/v1/chat/completions", StringComparison.Ordinal);
}
