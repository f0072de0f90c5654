using System.Net;
using System.Text.RegularExpressions;

namespace Takeoff.Tests.Integration.Diagnostics;

/// <summary>/metrics as Prometheus scrapes it: the families an operator graphs, labelled by reader and group.</summary>
internal sealed class MetricsTests
{
    [Test]
    public async Task Scrape_CountsRequestsByOutcome_TokensAndLatencies_PerReaderAndGroup()
    {
        await using var server = await TakeoffServer.StartWithModelsAsync(
            [TakeoffServer.Stories260K("metered", new { consumer_group = "gauged", max_batch_size = 1, max_queue = 0 })]);
        var reader = await server.ReaderIdAsync("gauged");
        var before = await ScrapeAsync(server);

        await server.Client.GenerateAsync(new { text = "Once upon a time", consumer_group = "gauged", max_new_tokens = 7 });
        await server.Client.GenerateAsync(new { text = "Once upon a time", consumer_group = "gauged", max_new_tokens = 50, stop = "Lily" });
        var after = await ScrapeAsync(server);

        var labels = $"consumer_group=\"gauged\",reader_id=\"{reader}\"";
        Assert.That(Value(after, $"takeoff_requests_total{{.*consumer_group=\"gauged\",outcome=\"length\",reader_id=\"{reader}\"}}")
                    - Value(before, $"takeoff_requests_total{{.*consumer_group=\"gauged\",outcome=\"length\",reader_id=\"{reader}\"}}"), Is.EqualTo(1));
        Assert.That(Value(after, $"takeoff_requests_total{{.*outcome=\"stop\",reader_id=\"{reader}\"}}"), Is.EqualTo(1));
        Assert.That(Value(after, $"takeoff_generated_tokens_total{{.*{labels}}}"), Is.GreaterThanOrEqualTo(7 + 8));
        Assert.That(Value(after, $"takeoff_prompt_tokens_total{{.*{labels}}}"), Is.EqualTo(5 + 1),
            "two prompts of 5 tokens: the second finds 4 in the slot's cache and evaluates only its last");
        Assert.That(Value(after, $"takeoff_time_to_first_token_seconds_count{{.*{labels}}}"), Is.EqualTo(2));
        Assert.That(Value(after, $"takeoff_time_per_output_token_seconds_count{{.*{labels}}}"), Is.EqualTo(2));
        Assert.That(Value(after, $"takeoff_request_duration_seconds_bucket{{.*{labels},le=\"\\+Inf\"}}"), Is.EqualTo(2));
        Assert.That(Value(after, $"takeoff_requests_running{{.*{labels}}}"), Is.Zero);
        Assert.That(Value(after, $"takeoff_requests_waiting{{.*{labels}}}"), Is.Zero);
        Assert.That(Value(after, "takeoff_readers{.*consumer_group=\"gauged\",state=\"ready\"}"), Is.EqualTo(1));
        Assert.That(after, Does.Contain("# TYPE takeoff_time_to_first_token_seconds histogram"));
    }

    [Test]
    public async Task Scrape_KvCacheUsage_RisesWhileASequenceRuns_AndFallsToZeroWhenItEnds_WithTheCacheShape()
    {
        await using var server = await TakeoffServer.StartWithModelsAsync(
            [TakeoffServer.Stories260K("cached", new { consumer_group = "kv", max_batch_size = 2, context_size = 2048 })]);
        var reader = await server.ReaderIdAsync("kv");
        var labels = $"consumer_group=\"kv\",reader_id=\"{reader}\"";
        Assert.That(Value(await ScrapeAsync(server), $"takeoff_kv_cache_usage_ratio{{.*{labels}}}"), Is.Zero);
        Assert.That(Value(await ScrapeAsync(server), $"takeoff_cache_config_info{{.*block_size=\"1\",consumer_group=\"kv\",num_blocks=\"4096\",num_gpu_blocks=\"4096\",reader_id=\"{reader}\"}}"),
            Is.EqualTo(1), "two slots of 2048 cells, one token per cell");

        using var cancel = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/generate_stream")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { text = "Once upon a time", consumer_group = "kv", max_new_tokens = 2000, min_new_tokens = 2000 }),
        };
        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        var stream = await response.Content.ReadAsStreamAsync(cancel.Token);
        await stream.ReadExactlyAsync(new byte[64], cancel.Token);
        var running = Value(await ScrapeAsync(server), $"takeoff_kv_cache_usage_ratio{{.*{labels}}}");
        // One sequence of at most 2048 cells out of 4096; at least the 64 bytes it has streamed are in its cells.
        Assert.That(running, Is.GreaterThan(0).And.LessThanOrEqualTo(0.5));
        // The client goes away: cancelling the token alone does not close a response whose headers were read (no read
        // is in flight), so on a slow machine the server generated on; closing the stream drops the connection.
        await cancel.CancelAsync();
        await stream.DisposeAsync();
        response.Dispose();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Value(await ScrapeAsync(server), $"takeoff_kv_cache_usage_ratio{{.*{labels}}}") > 0)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the cancelled sequence's cells still count as in use");
            await Task.Delay(50);
        }
    }

    [Test]
    public async Task Scrape_IsOnTheInferencePortOnly()
    {
        using var management = await SharedServer.Instance.Management.GetAsync("/metrics");

        Assert.That(management.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await ScrapeAsync(SharedServer.Instance), Does.Contain("takeoff_readers"));
    }

    private static async Task<string> ScrapeAsync(TakeoffServer server)
    {
        using var response = await server.Client.GetAsync("/metrics");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of the one series matching <paramref name="series"/> (a regex over name and labels), 0 if absent.</summary>
    private static double Value(string scrape, string series)
    {
        var matches = Regex.Matches(scrape, $"^{series} (\\S+)", RegexOptions.Multiline);
        Assert.That(matches, Has.Count.LessThanOrEqualTo(1), $"several series match {series}");
        return matches.Count == 0 ? 0 : double.Parse(matches[0].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
