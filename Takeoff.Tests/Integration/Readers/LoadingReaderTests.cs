using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Integration.Readers;

/// <summary>
/// A reader whose model is still downloading (from a loopback hub that holds the file back): its group answers
/// 503 with Retry-After, and removing it abandons the download, leaving no partial file.
/// </summary>
internal sealed class LoadingReaderTests
{
    private string _models = null!;

    [SetUp]
    public void CreateModelsDirectory()
    {
        _models = Directory.CreateTempSubdirectory("takeoff-models-").FullName;
        File.Copy(TestModels.Stories260K, Path.Combine(_models, "stories260K.gguf"));
    }

    [TearDown]
    public void DeleteModelsDirectory() => Directory.Delete(_models, recursive: true);

    [Test]
    public async Task ReaderStillDownloading_503WithRetryAfter_ThenDeleteAbandonsTheDownload()
    {
        using var hub = ModelHub.ServeStalling(TestModels.Stories260K);
        await using var server = await StartWithHubModelAsync("slow", hub);

        var id = (await server.Management.PostJsonAsync("/reader", new { model_name = "slow" }, 201))["reader_id"]!.GetValue<string>();
        await hub.Requested.WaitAsync(TimeSpan.FromSeconds(30));

        using var refused = await server.Client.PostAsJsonAsync("/generate", new { text = "Once", consumer_group = "slow" });
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("loading"));
        using var health = await server.Client.GetAsync("/health/ready");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a reader added later, still loading, does not make the server unready");
        Assert.That((await server.Management.GetJsonAsync($"/config/{id}"))["state"]!.GetValue<string>(), Is.EqualTo("loading"));

        using var removed = await server.Management.DeleteAsync($"/reader/{id}");

        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(Directory.GetFiles(_models).Select(Path.GetFileName), Is.EqualTo(new[] { "stories260K.gguf" }),
            "neither slow.gguf nor its .part may be left behind");
        using var gone = await server.Client.PostAsJsonAsync("/generate", new { text = "Once", consumer_group = "slow" });
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task ReaderDownloadsItsModelThroughTheManagementApi_ThenServes()
    {
        using var hub = ModelHub.Serve(TestModels.Stories260K);
        await using var server = await StartWithHubModelAsync("fetched", hub);

        await server.AddReaderAsync(new { model_name = "fetched" }, seconds: 30);

        var answer = await server.Client.GenerateAsync(new { text = "Once upon a time", consumer_group = "fetched", max_new_tokens = 4 });
        Assert.That(answer["text"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(File.Exists(Path.Combine(_models, "fetched.gguf")));
    }

    /// <summary>
    /// A server on the temporary models directory that boots "story" and knows <paramref name="name"/>: stories260K
    /// served by <paramref name="hub"/>, not booted, in a consumer group of the same name.
    /// </summary>
    private Task<TakeoffServer> StartWithHubModelAsync(string name, ModelHub hub)
    {
        var fromHub = new JsonObject
        {
            ["name"] = name, ["file"] = $"{name}.gguf", ["url"] = hub.Url, ["sha256"] = TestModels.Stories260KSha256,
            ["boot"] = false, ["consumer_group"] = name,
        };
        return TakeoffServer.StartWithModelsAsync([TakeoffServer.Stories260K("story"), fromHub], ["--models-dir", _models]);
    }
}
