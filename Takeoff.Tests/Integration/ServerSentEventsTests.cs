using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration;

/// <summary>/generate_stream as Server-Sent Events, read back with .NET's standard SSE parser.</summary>
internal sealed class ServerSentEventsTests
{
    private static readonly object Body = new { text = "Once upon a time", max_new_tokens = 200, return_metadata = true };

    [Test]
    public async Task Sse_AcceptHeader_ReassemblesToThePlainStreamNewlinesIncluded()
    {
        var client = SharedServer.Instance.Client;
        var plain = await client.StreamAsync(Body);

        var (data, metadata) = await ReadEventsAsync(client, accept: "text/event-stream");

        Assert.That(plain.Text, Does.Contain('\n'), "the text must hold a newline, or the multi-line framing is untested");
        Assert.That(data, Is.EqualTo(plain.Text));
        Assert.That(metadata?["generated_tokens"]?.GetValue<int>(), Is.EqualTo(200));
    }

    [Test]
    public async Task Sse_ServerFormatFlag_AppliesToClientsSendingAnyAccept()
    {
        await using var server = await TakeoffServer.StartAsync(extraArgs: ["--stream-format", "sse"]);
        var plainElsewhere = await SharedServer.Instance.Client.StreamAsync(Body);

        var (data, metadata) = await ReadEventsAsync(server.Client, accept: "*/*");

        Assert.That(data, Is.EqualTo(plainElsewhere.Text));
        Assert.That(metadata, Is.Not.Null);
    }

    [Test]
    public async Task Sse_RefusedBeforeTheStreamStarts_ProblemDetailsStillSayWhy()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/generate_stream")
        {
            Content = JsonContent.Create(new { text = string.Concat(Enumerable.Repeat("The cat sat on the mat. ", 400)) }),
        };
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("text/event-stream"));

        using var response = await SharedServer.Instance.Client.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), Does.Contain("context window"));
    }

    private static async Task<(string Data, JsonNode? Metadata)> ReadEventsAsync(HttpClient client, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/generate_stream") { Content = JsonContent.Create(Body) };
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));

        var data = "";
        JsonNode? metadata = null;
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            Assert.That(metadata, Is.Null, "the metadata event must come last");
            if (item.EventType == "metadata")
                metadata = JsonNode.Parse(item.Data);
            else
                data += item.Data;
        }
        return (data, metadata);
    }
}
