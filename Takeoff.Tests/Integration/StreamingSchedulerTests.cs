using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Takeoff.Engine;

namespace Takeoff.Tests.Integration;

/// <summary>
/// Continuous batching seen from outside: late arrivals start at once, a client that leaves frees its slot,
/// a full queue is refused with 503. Each test runs its own server so its limits and timing are its own.
/// </summary>
internal sealed class StreamingSchedulerTests
{
    // A context long enough that a stream forced to fill it runs for seconds on stories260K.
    private const int LongContext = 8192;
    private const int LongGeneration = 8000;

    private static object LongStream(string prompt = "Once upon a time") =>
        new { text = prompt, max_new_tokens = LongGeneration, min_new_tokens = LongGeneration };

    [Test]
    public async Task Stream_ClientDisconnects_GenerationStops()
    {
        await using var server = await TakeoffServer.StartAsync(new { context_size = LongContext });
        using var finished = new FinishedRequests();

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/generate_stream") { Content = JsonContent.Create(LongStream()) })
        using (var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            var stream = await response.Content.ReadAsStreamAsync();
            Assert.That(await stream.ReadAsync(new byte[64]), Is.GreaterThan(0));
        } // disposing the response closes the connection mid-stream

        var tokens = await finished.WaitForAsync("cancelled", TimeSpan.FromSeconds(10));
        Assert.That(tokens, Is.LessThan(LongGeneration), "the generation ran to its end instead of stopping");
        Assert.That(server.Service<InferenceEngine>().Readers().Single().ActiveSequences, Is.Zero);
    }

    [Test]
    public async Task Stream_LateArrival_GetsFirstTokenWhileSevenOthersStream()
    {
        await using var server = await TakeoffServer.StartAsync(new { context_size = LongContext, max_batch_size = 8 });
        using var stop = new CancellationTokenSource();
        var finishedAt = new TimeSpan?[7];
        var clock = Stopwatch.StartNew();
        var firstChunks = Enumerable.Range(0, 7).Select(_ => new TaskCompletionSource()).ToArray();
        var runners = Enumerable.Range(0, 7).Select(i => Task.Run(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/generate_stream") { Content = JsonContent.Create(LongStream()) };
            using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
            var stream = await response.Content.ReadAsStreamAsync(stop.Token);
            var buffer = new byte[256];
            try
            {
                if (await stream.ReadAsync(buffer, stop.Token) > 0)
                    firstChunks[i].SetResult();
                while (await stream.ReadAsync(buffer, stop.Token) > 0)
                {
                }
                finishedAt[i] = clock.Elapsed;
            }
            catch (OperationCanceledException)
            {
            }
        })).ToArray();
        await Task.WhenAll(firstChunks.Select(f => f.Task)).WaitAsync(TimeSpan.FromSeconds(30));

        var late = await server.Client.StreamAsync(new { text = "The little dog", max_new_tokens = 5 });
        var lateFirstToken = clock.Elapsed - late.Total + late.Arrivals[0];

        Assert.That(finishedAt.Where(f => f is not null && f < lateFirstToken), Is.Empty,
            "a running stream finished before the late request got its first token: it waited for a slot");
        Assert.That(late.Text, Is.Not.Empty);
        await stop.CancelAsync();
        await Task.WhenAll(runners);
    }

    [Test]
    public async Task Stream_Cancelled_FreesTheSlotForTheNextRequest()
    {
        await using var server = await TakeoffServer.StartAsync(new { context_size = LongContext, max_batch_size = 1, max_queue = 4 });
        using var finished = new FinishedRequests();
        using var leave = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/generate_stream") { Content = JsonContent.Create(LongStream()) };
        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        Assert.That(await stream.ReadAsync(new byte[64]), Is.GreaterThan(0));

        var clock = Stopwatch.StartNew();
        var next = server.Client.GenerateAsync(new { text = "The little dog", max_new_tokens = 5, return_metadata = true });
        await Task.Delay(200);
        Assert.That(next.IsCompleted, Is.False, "the only slot is taken; the next request must wait");
        response.Dispose(); // the streaming client goes away

        var answer = await next.WaitAsync(TimeSpan.FromSeconds(30));
        var cancelledAfter = await finished.WaitForAsync("cancelled", TimeSpan.FromSeconds(5));
        Assert.That(answer["metadata"]!["generated_tokens"]!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(cancelledAfter, Is.LessThan(LongGeneration), "the slot was only freed when the long stream ended by itself");
    }

    [Test]
    public async Task Generate_QueueFull_Answers503WithRetryAfter()
    {
        await using var server = await TakeoffServer.StartAsync(new { context_size = LongContext, max_batch_size = 1, max_queue = 1 });
        using var stop = new CancellationTokenSource();
        var running = server.Client.PostAsJsonAsync("/generate", LongStream(), stop.Token);
        var waiting = server.Client.PostAsJsonAsync("/generate", LongStream("The little dog"), stop.Token);
        var engine = server.Service<InferenceEngine>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (engine.Readers().Single() is var reader && (reader.ActiveSequences < 1 || reader.QueuedSequences < 1))
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"the two long requests never filled the slot and the queue: {reader.ActiveSequences} active, {reader.QueuedSequences} queued, running {running.Status}, waiting {waiting.Status}");
            await Task.Delay(5);
        }

        using var refused = await server.Client.PostAsJsonAsync("/generate", new { text = "One more" });

        Assert.That((int)refused.StatusCode, Is.EqualTo(503));
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("capacity"));
        await stop.CancelAsync();
        Assert.ThrowsAsync<TaskCanceledException>(async () => await Task.WhenAll(running, waiting));
    }
}
