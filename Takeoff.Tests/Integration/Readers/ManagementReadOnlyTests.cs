using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration.Readers;

/// <summary>--management-read-only, as a cluster runs the server: readers only from models.json, listed but never changed.</summary>
internal sealed class ManagementReadOnlyTests
{
    [Test]
    public async Task ReadOnly_ListsReaders_RefusesAddAndRemoveWith403ProblemDetails_ReaderStillServes()
    {
        await using var server = await TakeoffServer.StartAsync(extraArgs: ["--management-read-only", "true"]);
        var id = await server.ReaderIdAsync("primary");

        using var added = await server.Management.PostAsJsonAsync("/reader", new { model_name = "stories260K.gguf", consumer_group = "more" });
        await AssertRefusedAsync(added);
        using var removed = await server.Management.DeleteAsync($"/reader/{id}");
        await AssertRefusedAsync(removed);
        // Refused before the body is read: a malformed one gets the same answer, not a 400.
        using var malformed = await server.Management.PostAsync("/reader", new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        Assert.That(malformed.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        var groups = await server.Management.GetJsonAsync("/reader_groups");
        Assert.That(groups.AsObject().Select(g => g.Key), Is.EqualTo(new[] { "primary" }));
        Assert.That(groups["primary"]![0]!["reader_id"]!.GetValue<string>(), Is.EqualTo(id));
        var answer = await server.Client.GenerateAsync(new { text = "Once upon a time", max_new_tokens = 4 });
        Assert.That(answer["text"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task ReadOnly_FromTheEnvironmentVariable_OffByDefault()
    {
        Environment.SetEnvironmentVariable("TAKEOFF_MANAGEMENT_READ_ONLY", "true");
        TakeoffServer readOnly;
        try
        {
            readOnly = await TakeoffServer.StartAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable("TAKEOFF_MANAGEMENT_READ_ONLY", null);
        }
        await using (readOnly)
        {
            using var refused = await readOnly.Management.DeleteAsync("/reader/nobody");
            await AssertRefusedAsync(refused);
        }

        await using var writable = await TakeoffServer.StartAsync();
        using var missing = await writable.Management.DeleteAsync("/reader/nobody");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = JsonNode.Parse(text)!;
        Assert.That(problem["status"]!.GetValue<int>(), Is.EqualTo(403));
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("--management-read-only").And.Contain("models.json"));
    }
}
