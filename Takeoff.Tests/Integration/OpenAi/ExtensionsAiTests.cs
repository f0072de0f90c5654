using Microsoft.Extensions.AI;
using OpenAI.Chat;
using ChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;

namespace Takeoff.Tests.Integration.OpenAi;

/// <summary>Microsoft.Extensions.AI's IChatClient over the OpenAI SDK, as .NET applications and Semantic Kernel use it.</summary>
internal sealed class ExtensionsAiTests
{
    private static IChatClient Client() => OpenAiServer.Sdk().GetChatClient("chat").AsIChatClient();

    private static ChatOptions Greedy => new() { Temperature = 0, MaxOutputTokens = 32 };

    [Test]
    public async Task GetResponse_SameAnswerAsTheSdk_WithUsage()
    {
        using var client = Client();
        OpenAI.Chat.ChatCompletion sdk = await OpenAiServer.Sdk().GetChatClient("chat")
            .CompleteChatAsync([new UserChatMessage("Tell me a story.")], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 32 });

        var response = await client.GetResponseAsync("Tell me a story.", Greedy);

        Assert.That(response.Text, Is.EqualTo(sdk.Content.Single().Text).And.Not.Empty);
        Assert.That(response.FinishReason, Is.EqualTo(ChatFinishReason.Length));
        Assert.That(response.Usage?.OutputTokenCount, Is.EqualTo(32));
        Assert.That(response.Messages.Single().Role, Is.EqualTo(ChatRole.Assistant));
    }

    [Test]
    public async Task GetStreamingResponse_UpdatesAddUpToTheWholeAnswer()
    {
        using var client = Client();
        var whole = await client.GetResponseAsync("Tell me a story.", Greedy);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Tell me a story.", Greedy))
            updates.Add(update);

        Assert.That(updates.ToChatResponse().Text, Is.EqualTo(whole.Text));
        Assert.That(updates.Count(u => u.Text.Length > 0), Is.GreaterThan(10));
        Assert.That(updates.Select(u => u.FinishReason).Last(r => r is not null), Is.EqualTo(ChatFinishReason.Length));
    }

    [Test]
    public async Task SystemAndAssistantTurns_AllReachTheTemplate()
    {
        using var client = Client();
        List<Microsoft.Extensions.AI.ChatMessage> shortTalk = [new(ChatRole.User, "Hi")];
        List<Microsoft.Extensions.AI.ChatMessage> longTalk =
        [
            new(ChatRole.System, "You tell stories."),
            new(ChatRole.User, "Hi"),
            new(ChatRole.Assistant, "Hello! Once upon a time."),
            new(ChatRole.User, "Go on."),
        ];

        var few = await client.GetResponseAsync(shortTalk, Greedy);
        var many = await client.GetResponseAsync(longTalk, Greedy);

        Assert.That(many.Usage!.InputTokenCount, Is.GreaterThan(few.Usage!.InputTokenCount!.Value + 20));
    }
}
