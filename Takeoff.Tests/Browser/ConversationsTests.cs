using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Takeoff.Tests.Browser;

internal sealed class ConversationsTests
{
    [Test]
    public async Task Conversations_SwitchRenameDelete_ExportAndImport()
    {
        await using var browser = await BrowserPage.OpenAsync("/");
        var page = browser.Page;
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(dialog.Type == "prompt" ? "Renamed" : null);
        var chat = await ChatPage.ReadyAsync(browser);
        await chat.SetAsync("Temperature", "0");
        await chat.SetAsync("Max tokens", "8");
        var titles = page.Locator("#conversation-list .open");

        await chat.SendAsync("First");
        await chat.WaitForAnswerAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "New chat" }).ClickAsync();
        await Expect(chat.Answers).ToHaveCountAsync(0);
        await chat.SendAsync("Second");
        await chat.WaitForAnswerAsync(1);
        await Expect(titles).ToHaveTextAsync(["Second", "First"]);

        await page.GetByRole(AriaRole.Button, new() { Name = "Open First" }).ClickAsync();
        await Expect(chat.UserMessages.Locator(".content")).ToHaveTextAsync(["First"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Rename First" }).ClickAsync();
        await Expect(titles).ToHaveTextAsync(["Renamed", "Second"]);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export" }).ClickAsync());
        var exported = JsonNode.Parse(await File.ReadAllTextAsync((await download.PathAsync())!))!;
        Assert.That(exported["format"]!.GetValue<string>(), Is.EqualTo("takeoff-chat-conversations"));
        Assert.That(exported["conversations"]!.AsArray().Select(c => c!["title"]!.GetValue<string>()), Is.EquivalentTo(new[] { "Renamed", "Second" }));

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete Renamed" }).ClickAsync();
        await Expect(titles).ToHaveTextAsync(["Second"]);
        await Expect(chat.UserMessages).ToHaveCountAsync(0);

        await page.GetByLabel("Import").SetInputFilesAsync((await download.PathAsync())!);
        await Expect(page.Locator("#conversations-status")).ToHaveTextAsync("Imported 2 conversations.");
        await Expect(titles).ToHaveCountAsync(3);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open Renamed" }).ClickAsync();
        await Expect(chat.UserMessages.Locator(".content")).ToHaveTextAsync(["First"]);
        await Expect(chat.Answers).ToHaveCountAsync(1);
        Assert.That(browser.Errors, Is.Empty);
    }

    [Test]
    public async Task NewChatWhileAnswering_StopsTheAnswer_WhichStaysWithItsConversation()
    {
        await using var browser = await BrowserPage.OpenAsync("/");
        var page = browser.Page;
        var chat = await ChatPage.ReadyAsync(browser);
        await chat.SetAsync("Temperature", "0");
        await chat.SetAsync("Max tokens", "1500");
        using var finished = new Integration.FinishedRequests();

        await chat.SendAsync("Hi");
        await chat.WaitForTextAsync(20);
        await page.GetByRole(AriaRole.Button, new() { Name = "New chat" }).ClickAsync();

        Assert.That(await finished.WaitForAsync("cancelled", TimeSpan.FromSeconds(10), model: "chatty"), Is.LessThan(1500));
        await Expect(chat.Answers).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open Hi" }).ClickAsync();
        await Expect(chat.Answers.GetByTestId("answer-stats")).ToContainTextAsync("stopped");
        Assert.That((await chat.Answers.Locator(".content").InnerTextAsync()).Length, Is.GreaterThanOrEqualTo(20));
    }
}
