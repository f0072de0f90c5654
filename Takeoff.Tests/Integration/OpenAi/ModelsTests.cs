using OpenAI.Models;

namespace Takeoff.Tests.Integration.OpenAi;

internal sealed class ModelsTests
{
    [Test]
    public async Task ListsEveryConsumerGroupThenEveryModelName()
    {
        OpenAIModelCollection models = await OpenAiServer.Sdk().GetOpenAIModelClient().GetModelsAsync();

        Assert.That(models.Select(m => m.Id), Is.EquivalentTo(new[]
        {
            "chat", "primary", "plain", "embed", "chatty", "story", "story-plain", "story-embed",
        }));
        Assert.That(models.Single(m => m.Id == "chat").OwnedBy, Is.EqualTo("takeoff"));
        Assert.That(models.Single(m => m.Id == "chatty").OwnedBy, Is.EqualTo("takeoff:model"));
    }

    [Test]
    public async Task AModelNameRoutesLikeItsGroup()
    {
        var byName = await OpenAiServer.Sdk().GetChatClient("chatty").CompleteChatAsync(
            [new OpenAI.Chat.UserChatMessage("Hi")], new OpenAI.Chat.ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 8 });
        var byGroup = await OpenAiServer.Sdk().GetChatClient("chat").CompleteChatAsync(
            [new OpenAI.Chat.UserChatMessage("Hi")], new OpenAI.Chat.ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 8 });

        Assert.That(byName.Value.Content.Single().Text, Is.EqualTo(byGroup.Value.Content.Single().Text));
        Assert.That(byName.Value.Model, Is.EqualTo("chatty"));
    }
}
