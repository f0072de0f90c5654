using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration;

/// <summary>Persistent slots: a prompt that starts like an earlier one reuses its cached cells, and nothing else changes.</summary>
internal sealed class PromptCacheTests
{
    private static readonly string Story = string.Concat(Enumerable.Repeat("Lily and Tom went to the park to play with a ball. ", 12));

    [Test]
    public async Task SharedPrefix_IsReused_AndGreedyOutputIsTheSameWithoutTheCache()
    {
        await using var server = await TakeoffServer.StartAsync(new { max_batch_size = 2 });

        await server.Client.GenerateAsync(new { text = Story + "Then", max_new_tokens = 4 });
        var cached = await server.Client.GenerateAsync(new { text = Story + "One day", max_new_tokens = 48, return_metadata = true });
        var uncached = await server.Client.GenerateAsync(new
        {
            text = Story + "One day", max_new_tokens = 48, return_metadata = true, cache_prompt = false,
        });

        var prompt = cached["metadata"]!["prompt_tokens"]!.GetValue<int>();
        Assert.That(cached["metadata"]!["cached_tokens"]!.GetValue<int>(), Is.InRange(prompt - 4, prompt - 1),
            "all but the differing end of the prompt was found in the slot");
        Assert.That(uncached["metadata"]!["cached_tokens"]!.GetValue<int>(), Is.Zero);
        Assert.That(cached["text"]!.GetValue<string>(), Is.EqualTo(uncached["text"]!.GetValue<string>()).And.Not.Empty);
    }

    [Test]
    public async Task MultiTurnChat_EachTurnReusesTheConversationSoFar()
    {
        await using var server = await TakeoffServer.StartAsync(new { max_batch_size = 4, chat_template = "chatml" });
        var messages = new JsonArray { new JsonObject { ["role"] = "system", ["content"] = Story } };
        var cachedByTurn = new List<int>();
        var promptByTurn = new List<int>();

        for (var turn = 0; turn < 3; turn++)
        {
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = $"Tell me part {turn + 1}." });
            var answer = await server.Client.PostJsonAsync("/v1/chat/completions",
                new JsonObject { ["messages"] = messages.DeepClone(), ["max_tokens"] = 16, ["temperature"] = 0 });
            messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = answer["choices"]![0]!["message"]!["content"]!.GetValue<string>() });
            cachedByTurn.Add(answer["usage"]!["prompt_tokens_details"]!["cached_tokens"]!.GetValue<int>());
            promptByTurn.Add(answer["usage"]!["prompt_tokens"]!.GetValue<int>());
        }

        Assert.That(cachedByTurn[0], Is.Zero);
        Assert.That(cachedByTurn[1], Is.GreaterThanOrEqualTo(promptByTurn[0] - 4), "turn 2 reuses turn 1's prompt");
        Assert.That(cachedByTurn[2], Is.GreaterThanOrEqualTo(promptByTurn[1] - 4), "turn 3 reuses turn 2's prompt");
    }

    [Test]
    public async Task CachedSlots_NeverBlockNewRequests()
    {
        await using var server = await TakeoffServer.StartAsync(new { max_batch_size = 2, max_queue = 0 });
        await server.Client.GenerateAsync(new { text = "The little dog", max_new_tokens = 4 });
        await server.Client.GenerateAsync(new { text = "Tom and Sue went", max_new_tokens = 4 });

        var both = await Task.WhenAll(
            server.Client.GenerateAsync(new { text = "One day, a bird", max_new_tokens = 8 }),
            server.Client.GenerateAsync(new { text = "Once upon a time", max_new_tokens = 8 }));

        Assert.That(both.Select(a => a["text"]!.GetValue<string>()), Has.All.Not.Empty);
    }
}
