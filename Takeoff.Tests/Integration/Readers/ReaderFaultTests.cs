using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Takeoff.Engine.Scheduling;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Integration.Readers;

/// <summary>llama.cpp failing on purpose (through the decoder seam), everything else real: what clients and operators see.</summary>
internal sealed class ReaderFaultTests
{
    private static async Task<(TakeoffServer Server, FaultyDecoders Faults)> StartAsync(params string[] extraArgs)
    {
        var faults = new FaultyDecoders("story-a");
        var server = await TakeoffServer.StartWithModelsAsync(
            [
                TakeoffServer.Stories260K("story-a", new { consumer_group = "pair", max_batch_size = 2 }),
                TakeoffServer.Stories260K("story-b", new { consumer_group = "pair", max_batch_size = 2 }),
            ],
            extraArgs, services => services.AddSingleton<IDecoderFactory>(faults));
        return (server, faults);
    }

    [Test]
    public async Task DecodeFails_ItsRequestFailsWithAClearError_TheNextOneSucceeds()
    {
        var (server, faults) = await StartAsync();
        await using var _ = server;
        faults.FailDecodes(1);

        // Both readers are idle: the first in the registry is chosen, and it is the faulty one.
        var failed = await server.Client.PostJsonAsync("/generate", new { text = "Once upon a time", consumer_group = "pair" }, 500);
        var next = await server.Client.GenerateAsync(new { text = "Once upon a time", consumer_group = "pair", max_new_tokens = 8 });

        Assert.That(failed["detail"]!.GetValue<string>(), Does.Contain("could not decode"));
        Assert.That(next["text"]!.GetValue<string>(), Is.Not.Empty);
        var status = await server.Management.GetJsonAsync("/status");
        Assert.That(status["status"]!["dead_readers"]!.AsArray(), Is.Empty, "one failed step is recovered from, not fatal");
    }

    // Mutation: the error event without the engine's message and code ("generation failed", as it once was).
    [Test]
    public async Task DecodeFailsAfterTheStreamStarted_TheLastSseEventSaysWhatFailed_WithItsCode()
    {
        var (server, faults) = await StartAsync("--stream-format", "sse");
        await using var _ = server;
        faults.FailDecodes(1);

        var streamed = await server.Client.StreamAsync(new { text = "Once upon a time", consumer_group = "pair", max_new_tokens = 8 });

        Assert.That(streamed.Response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the status line went out before the step failed");
        var error = streamed.Text.Split("event: error\n").Last();
        Assert.That(error, Does.StartWith("data: generation failed: llama.cpp could not decode this step"), streamed.Text);
        Assert.That(error.TrimEnd(), Does.EndWith("(code: engine_failed)"), streamed.Text);
        Assert.That(streamed.Text, Does.Not.Contain("event: metadata"));
    }

    [Test]
    public async Task LoopCrashes_ReaderDiesWithItsError_GroupGoesToTheOtherReader_OperatorReplacesIt()
    {
        var (server, faults) = await StartAsync();
        await using var _ = server;
        faults.FailDecodes(1);
        faults.RefuseNewContexts(); // the recovery from the failed step cannot make a new context: the loop dies

        await server.Client.PostJsonAsync("/generate", new { text = "Once upon a time", consumer_group = "pair" }, 500);

        var dead = await WaitForDeadReaderAsync(server);
        Assert.That(dead["model_name"]!.GetValue<string>(), Is.EqualTo("story-a"));
        Assert.That(dead["error"]!.GetValue<string>(), Does.Contain("Injected fault"));
        for (var i = 0; i < 4; i++)
        {
            var answer = await server.Client.GenerateAsync(new { text = "Once upon a time", consumer_group = "pair", max_new_tokens = 4 });
            Assert.That(answer["text"]!.GetValue<string>(), Is.Not.Empty, "the living reader serves every request");
        }
        using (var health = await server.Client.GetAsync("/health/ready"))
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the group is still served");

        using var removed = await server.Management.DeleteAsync($"/reader/{dead["reader_id"]!.GetValue<string>()}");
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        faults.RefuseNewContexts(false);
        var replacement = await server.AddReaderAsync(new { model_name = "story-a", consumer_group = "pair", max_batch_size = 2 });
        var status = await server.Management.GetJsonAsync("/status");
        Assert.That(status["status"]!["dead_readers"]!.AsArray(), Is.Empty);
        Assert.That(status["status"]!["live_readers"]!.AsArray().Select(r => r!["reader_id"]!.GetValue<string>()), Does.Contain(replacement));
    }

    [Test]
    public async Task SlowSteps_RemovalGraceRunsOut_TheStreamEndsCleanlyAsStopped()
    {
        var (server, faults) = await StartAsync("--Takeoff:ReaderStopGraceSeconds=0.3");
        await using var _ = server;
        faults.StepDelay = TimeSpan.FromMilliseconds(20); // 500 tokens would take 10 s
        var reader = await server.ReaderIdAsync("pair");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/generate_stream")
        {
            Content = JsonContent.Create(new { text = "Once upon a time", consumer_group = "pair", max_new_tokens = 500, min_new_tokens = 500, return_metadata = true }),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        Assert.That(await stream.ReadAsync(new byte[8]), Is.GreaterThan(0));

        using var removed = await server.Management.DeleteAsync($"/reader/{reader}");

        var events = await new StreamReader(stream).ReadToEndAsync();
        var metadata = JsonNode.Parse(events.Split("event: metadata\ndata: ")[^1].Trim())!;
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(metadata["finish_reason"]!.GetValue<string>(), Is.EqualTo("stopped"));
        Assert.That(metadata["generated_tokens"]!.GetValue<int>(), Is.LessThan(500));
    }

    private static async Task<JsonNode> WaitForDeadReaderAsync(TakeoffServer server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var dead = (await server.Management.GetJsonAsync("/status"))["status"]!["dead_readers"]!.AsArray();
            if (dead.Count > 0)
                return dead[0]!;
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the reader whose loop died is not reported dead");
            await Task.Delay(20);
        }
    }
}
