using System.Net;
using System.Net.Http.Json;

namespace Takeoff.Tests.Integration.Readers;

/// <summary>
/// POST /reader values llama.cpp cannot take: each is refused before native code sees it (a 400 naming the field, or a
/// dead reader saying why), and the server answers the next request.
/// </summary>
internal sealed class ReaderLimitsTests
{
    private static TakeoffServer Server => ReaderServer.Instance;

    [TestCase("max_batch_size", 257)]
    [TestCase("max_batch_size", 100_000)]
    [TestCase("max_seq_length", 8)]
    [TestCase("max_seq_length", 1 << 21)]
    [TestCase("max_queue", -1)]
    [TestCase("max_queue", 100_001)]
    public async Task PostReader_BeyondLlamaCppLimits_400NamingTheField_ThenTheServerAnswers(string field, int value)
    {
        var body = new Dictionary<string, object> { ["model_name"] = "story-a", ["consumer_group"] = "hostile", [field] = value };

        var problem = await Server.Management.PostJsonAsync("/reader", body, 400);

        Assert.That(problem["errors"]![field], Is.Not.Null, problem.ToJsonString());
        await AnswersAsync();
    }

    [Test]
    public async Task PostReader_257SlotsIntoTheDefaultGroup_RefusedAndTheGroupKeepsAnswering()
    {
        await Server.Management.PostJsonAsync("/reader", new { model_name = "story-a", max_batch_size = 257 }, 400);

        // Four ordinary requests took the server down when such a reader was routed to (exit 139).
        for (var i = 0; i < 4; i++)
            await AnswersAsync();
        var groups = await Server.Management.GetJsonAsync("/reader_groups");
        Assert.That(groups.AsObject().Select(g => g.Key), Does.Not.Contain("primary"));
    }

    [Test]
    public async Task PostReader_KvCacheLargerThanMemory_DeadReaderSayingWhy_ThenTheServerAnswers()
    {
        var id = await Server.AddReaderAsync(
            new { model_name = "story-a", consumer_group = "huge", max_batch_size = 256, max_seq_length = 1 << 20 }, untilState: "dead");

        var config = await Server.Management.GetJsonAsync($"/config/{id}");
        Assert.That(config["error"]!.GetValue<string>(), Does.Contain("KV cache needs"));
        using var refused = await Server.Client.PostAsJsonAsync("/generate", new { text = "Once", consumer_group = "huge" });
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        await AnswersAsync();
        using var removed = await Server.Management.DeleteAsync($"/reader/{id}");
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    private static async Task AnswersAsync()
    {
        var answer = await Server.Client.GenerateAsync(new { text = "Once upon a time", consumer_group = "alpha", max_new_tokens = 3 });
        Assert.That(answer["text"]!.GetValue<string>(), Is.Not.Empty);
    }
}
