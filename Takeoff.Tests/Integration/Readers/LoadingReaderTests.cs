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
    private const string Stories260KSha256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

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
        var slow = new JsonObject
        {
            ["name"] = "slow", ["file"] = "slow.gguf", ["url"] = hub.Url, ["sha256"] = Stories260KSha256,
            ["boot"] = false, ["consumer_group"] = "slow",
        };
        await using var server = await TakeoffServer.StartWithModelsAsync(
            [TakeoffServer.Stories260K("story"), slow], ["--models-dir", _models]);

        var id = (await server.Management.PostJsonAsync("/reader", new { model_name = "slow" }, 201))["reader_id"]!.GetValue<string>();
        await hub.Requested.WaitAsync(TimeSpan.FromSeconds(30));

        using var refused = await server.Client.PostAsJsonAsync("/generate", new { text = "Once", consumer_group = "slow" });
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("loading"));
        using var health = await server.Client.GetAsync("/health");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "a reader is still loading");
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
        var fetched = new JsonObject
        {
            ["name"] = "fetched", ["file"] = "fetched.gguf", ["url"] = hub.Url, ["sha256"] = Stories260KSha256,
            ["boot"] = false, ["consumer_group"] = "fetched",
        };
        await using var server = await TakeoffServer.StartWithModelsAsync(
            [TakeoffServer.Stories260K("story"), fetched], ["--models-dir", _models]);

        var id = (await server.Management.PostJsonAsync("/reader", new { model_name = "fetched" }, 201))["reader_id"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await server.Management.GetJsonAsync($"/config/{id}"))["state"]!.GetValue<string>() != "ready")
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the downloaded reader never became ready");
            await Task.Delay(50);
        }

        var answer = await server.Client.GenerateAsync(new { text = "Once upon a time", consumer_group = "fetched", max_new_tokens = 4 });
        Assert.That(answer["text"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(File.Exists(Path.Combine(_models, "fetched.gguf")));
    }
}
