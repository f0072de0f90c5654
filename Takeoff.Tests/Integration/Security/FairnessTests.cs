using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration.Security;

/// <summary>One client cannot hold the server: long answers take turns at the slots, and requests have caps.</summary>
internal sealed class FairnessTests
{
    [Test]
    public async Task EverySlotHeldByLongStreams_AShortRequestAnswersWhileTheyRun()
    {
        await using var server = await TakeoffServer.StartAsync(new { context_size = 8192, max_batch_size = 2 });
        using var stop = new CancellationTokenSource();
        var flood = Enumerable.Range(0, 4).Select(_ => server.Client.StreamAsync(
            new { text = "Once upon a time", max_new_tokens = 8000, min_new_tokens = 8000 }, stop.Token)).ToArray();
        await Task.Delay(300);

        var clock = Stopwatch.StartNew();
        var answer = await server.Client.GenerateAsync(new { text = "The dog", max_new_tokens = 4, min_new_tokens = 4 });
        var waited = clock.Elapsed;

        // Without turns it could only start once a whole 8,000-token answer had ended.
        Assert.That(flood.Count(f => f.IsCompleted), Is.Zero, $"a flood stream ended before the short request did ({waited})");
        Assert.That(answer["text"]!.GetValue<string>(), Is.Not.Empty);
        TestContext.Out.WriteLine($"4-token request beside 4 streams on 2 slots: {waited.TotalMilliseconds:F0} ms");
        await stop.CancelAsync();
        foreach (var stream in flood)
            Assert.CatchAsync<OperationCanceledException>(async () => await stream);
    }

    [Test]
    public async Task ASequenceThatYieldsItsSlot_ResumesWhereItWas()
    {
        await using var server = await TakeoffServer.StartAsync(new { max_batch_size = 1 }, ["--time-slice", "0.02"]);
        var body = new { text = "Once upon a time", max_new_tokens = 400, min_new_tokens = 400, return_metadata = true };
        var alone = await server.Client.GenerateAsync(body);

        var together = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => server.Client.GenerateAsync(body)));

        foreach (var answer in together)
        {
            Assert.That(answer["metadata"]!["generated_tokens"]!.GetValue<int>(), Is.EqualTo(400));
            Assert.That(answer["text"]!.GetValue<string>(), Is.EqualTo(alone["text"]!.GetValue<string>()));
        }
    }

    [Test]
    public async Task ChoicesTimesMaxTokensBeyondTheRequestCap_400_ADefaultMaxTokensTakesItsShare()
    {
        await using var server = await TakeoffServer.StartAsync(extraArgs: ["--max-request-tokens", "64"]);

        var refused = await server.Client.PostJsonAsync("/v1/completions", new { prompt = "Once", n = 4, max_tokens = 17 }, 400);
        var shared = await server.Client.PostJsonAsync("/v1/completions",
            new { prompt = "Once", n = 4, max_tokens = (int?)null, temperature = 1, stop = (string?)null });
        var many = await server.Client.PostJsonAsync("/generate", new { text = Enumerable.Repeat("Once", 65).ToArray() }, 400);

        Assert.That(refused["error"]!["param"]!.GetValue<string>(), Is.EqualTo("max_tokens"));
        Assert.That(refused["error"]!["message"]!.GetValue<string>(), Does.Contain("at most 64 new tokens per request"));
        Assert.That(shared["usage"]!["completion_tokens"]!.GetValue<int>(), Is.LessThanOrEqualTo(64));
        Assert.That(many["errors"]!.AsObject().Count, Is.EqualTo(1), many.ToJsonString());
    }

    [Test]
    public async Task Embeddings_TooManyInputs_400_AndALargeRequestDoesNotLockOthersOut()
    {
        await using var server = await TakeoffServer.StartWithModelsAsync(
            [TakeoffServer.Stories260K("embed", new { model_type = "EMBEDDING", context_size = 64, max_batch_size = 1, max_queue = 1 })],
            ["--max-embedding-inputs", "3000"]);
        var refused = await server.Client.PostJsonAsync("/v1/embeddings",
            new { input = Enumerable.Repeat("a", 3001).ToArray() }, 400);
        Assert.That(refused["error"]!["param"]!.GetValue<string>(), Is.EqualTo("input"));

        var large = server.Client.PostAsJsonAsync("/v1/embeddings", new { input = Enumerable.Repeat("Once upon a time", 3000).ToArray() });
        await Task.Delay(200);
        var small = await server.Client.PostJsonAsync("/v1/embeddings", new { input = "The dog" });

        Assert.That(large.IsCompleted, Is.False, "the large request ended before the small one was served");
        Assert.That(small["data"]!.AsArray(), Has.Count.EqualTo(1));
        using var done = await large;
        Assert.That((int)done.StatusCode, Is.EqualTo(200));
    }
}
