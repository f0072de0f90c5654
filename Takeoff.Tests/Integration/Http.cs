using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration;

/// <summary>What a script does against the server: post JSON, read JSON, or read a stream as it arrives.</summary>
internal static class Http
{
    public static Task<JsonNode> GenerateAsync(this HttpClient client, object body) => client.PostJsonAsync("/generate", body);

    /// <summary>Posts JSON to <paramref name="path"/>, checks the status and returns the JSON answer.</summary>
    public static async Task<JsonNode> PostJsonAsync(this HttpClient client, string path, object body, int expectedStatus = 200)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(expectedStatus), text);
        return JsonNode.Parse(text)!;
    }

    /// <summary>GETs <paramref name="path"/>, checks for 200 and returns the JSON answer.</summary>
    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
        return JsonNode.Parse(text)!;
    }

    /// <summary>Streams /generate_stream, noting when each chunk arrived relative to the request.</summary>
    public static async Task<StreamedAnswer> StreamAsync(this HttpClient client, object body, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/generate_stream") { Content = JsonContent.Create(body) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await ErrorTextAsync(response));
        await using var stream = await response.Content.ReadAsStreamAsync(cancellation);
        var bytes = new MemoryStream();
        var arrivals = new List<TimeSpan>();
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellation)) > 0)
        {
            arrivals.Add(clock.Elapsed);
            bytes.Write(buffer, 0, read);
        }
        return new StreamedAnswer(Encoding.UTF8.GetString(bytes.ToArray()), arrivals, clock.Elapsed, response);
    }

    private static async Task<string> ErrorTextAsync(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();
}

internal sealed record StreamedAnswer(string Text, IReadOnlyList<TimeSpan> Arrivals, TimeSpan Total, HttpResponseMessage Response);
