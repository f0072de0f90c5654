using System.Net;
using System.Net.Http.Json;
using Takeoff.Engine;

namespace Takeoff.Tests.Integration.Readers;

/// <summary>Readers over the management port: routing by group, adding, removing, dead readers, refusals.</summary>
internal sealed class ManagementApiTests
{
    private static TakeoffServer Server => ReaderServer.Instance;

    [Test]
    public async Task ReadersFromModelsJson_AnswerTheirOwnConsumerGroup()
    {
        using var finished = new FinishedRequests();

        await Server.Client.GenerateAsync(new { text = "Once upon a time", consumer_group = "alpha", max_new_tokens = 3 });
        await finished.WaitForAsync("length", TimeSpan.FromSeconds(10), model: "story-a");
        await Server.Client.GenerateAsync(new { text = "Once upon a time", consumer_group = "beta", max_new_tokens = 4 });
        var tokens = await finished.WaitForAsync("length", TimeSpan.FromSeconds(10), model: "story-b");

        Assert.That(tokens, Is.EqualTo(4));
    }

    [Test]
    public async Task ReaderGroups_ListsEveryBootReaderWithItsSettings()
    {
        var groups = await Server.Management.GetJsonAsync("/reader_groups");

        var embed = groups["embed"]![0]!;
        Assert.That(embed["model_name"]!.GetValue<string>(), Is.EqualTo("story-embed"));
        Assert.That(embed["model_type"]!.GetValue<string>(), Is.EqualTo("EMBEDDING"));
        Assert.That(embed["ready"]!.GetValue<bool>(), Is.True);
        Assert.That(embed["device"]!.GetValue<string>(), Is.EqualTo("cpu"));
        Assert.That(embed["context_size"]!.GetValue<int>(), Is.EqualTo(512));
        Assert.That(embed["pids"]!.AsArray().Select(p => p!.GetValue<int>()), Is.EqualTo(new[] { Environment.ProcessId }));
        Assert.That(groups["alpha"]![0]!["max_batch_size"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(groups.AsObject().Select(g => g.Key), Is.EquivalentTo(new[] { "alpha", "beta", "chat", "embed" }));
    }

    [Test]
    public async Task PostReader_NewReaderBecomesReadyAndServesItsGroup()
    {
        var id = await Server.AddReaderAsync(new
        {
            model_name = "stories260K.gguf", consumer_group = "gamma", max_batch_size = 2, max_seq_length = 512,
        });

        var answer = await Server.Client.GenerateAsync(new { text = "Once upon a time", consumer_group = "gamma", max_new_tokens = 8 });
        var reference = await Server.Client.GenerateAsync(new { text = "Once upon a time", consumer_group = "alpha", max_new_tokens = 8 });
        Assert.That(answer["text"]!.GetValue<string>(), Is.EqualTo(reference["text"]!.GetValue<string>()).And.Not.Empty);

        var config = await Server.Management.GetJsonAsync($"/config/{id}");
        Assert.That(config["model_name"]!.GetValue<string>(), Is.EqualTo("stories260K.gguf"));
        Assert.That(config["consumer_group"]!.GetValue<string>(), Is.EqualTo("gamma"));
        Assert.That(config["max_batch_size"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(config["context_size"]!.GetValue<int>(), Is.EqualTo(512));
        using var removed = await Server.Management.DeleteAsync($"/reader/{id}");
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task DeleteReader_WithAStreamInFlight_StreamEndsCleanlyAndTheReaderIsGone()
    {
        const int Asked = 2000;
        var id = await Server.AddReaderAsync(new { model_name = "story-a", consumer_group = "doomed", max_batch_size = 2 });
        using var finished = new FinishedRequests();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/generate_stream")
        {
            Content = JsonContent.Create(new { text = "Once upon a time", consumer_group = "doomed", max_new_tokens = Asked, min_new_tokens = Asked }),
        };
        using var response = await Server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        Assert.That(await stream.ReadAsync(new byte[16]), Is.GreaterThan(0));

        using var removed = await Server.Management.DeleteAsync($"/reader/{id}");

        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var rest = await new StreamReader(stream).ReadToEndAsync(); // throws if the stream was aborted
        Assert.That(rest, Is.Not.Empty);
        var generated = await finished.WaitForAsync("stopped", TimeSpan.FromSeconds(10));
        Assert.That(generated, Is.LessThan(Asked), "the grace period did not end the generation early");

        var status = await Server.Management.GetJsonAsync("/status");
        var listed = status["status"]!["live_readers"]!.AsArray().Concat(status["status"]!["dead_readers"]!.AsArray());
        Assert.That(listed.Select(r => r!["reader_id"]!.GetValue<string>()), Does.Not.Contain(id));
        using var after = await Server.Client.PostAsJsonAsync("/generate", new { text = "Once", consumer_group = "doomed" });
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var again = await Server.Management.DeleteAsync($"/reader/{id}");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task TwoReadersInOneGroup_ABusyReaderIsPassedOver()
    {
        var first = await Server.AddReaderAsync(new { model_name = "story-a", consumer_group = "pair", max_batch_size = 2 });
        var second = await Server.AddReaderAsync(new { model_name = "stories260K.gguf", consumer_group = "pair", max_batch_size = 2 });
        using var finished = new FinishedRequests();
        using var stop = new CancellationTokenSource();
        var busy = Server.Client.StreamAsync(new { text = "Once upon a time", consumer_group = "pair", max_new_tokens = 1500 }, stop.Token);
        await WaitUntilAsync(() => ReaderLoads()[first] + ReaderLoads()[second] > 0);
        // Both readers serve the same file under different names: the metric says which one answered.
        var idleName = ReaderLoads()[first] > 0 ? "stories260K.gguf" : "story-a";

        await Server.Client.GenerateAsync(new { text = "The dog", consumer_group = "pair", max_new_tokens = 2 });

        Assert.That(await finished.WaitForAsync("length", TimeSpan.FromSeconds(10), model: idleName), Is.EqualTo(2));
        await stop.CancelAsync();
        Assert.CatchAsync<OperationCanceledException>(async () => await busy);
        await Server.Management.DeleteAsync($"/reader/{first}");
        await Server.Management.DeleteAsync($"/reader/{second}");
    }

    [Test]
    public async Task ReaderWhoseFileIsMissing_IsDeadWithItsError_AndItsGroupAnswers503()
    {
        var id = await Server.AddReaderAsync(new { model_name = "ghost" }, untilState: "dead");

        var status = await Server.Management.GetJsonAsync("/status");
        var dead = status["status"]!["dead_readers"]!.AsArray().Single(r => r!["reader_id"]!.GetValue<string>() == id)!;
        Assert.That(dead["error"]!.GetValue<string>(), Does.Contain("missing.gguf"));
        using var refused = await Server.Client.PostAsJsonAsync("/generate", new { text = "Once", consumer_group = "ghosts" });
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("failed to load"));
        using var removed = await Server.Management.DeleteAsync($"/reader/{id}");
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [TestCase("../models/stories260K.gguf")]
    [TestCase("sub/../../stories260K.gguf")]
    [TestCase("README.md")]
    [TestCase("no-such-model.gguf")]
    public async Task PostReader_ModelNameOutsideTheCatalogAndModelsDirectory_400NamingModelName(string modelName)
    {
        var problem = await Server.Management.PostJsonAsync("/reader", new { model_name = modelName }, 400);

        Assert.That(problem["errors"]!["model_name"], Is.Not.Null, problem.ToJsonString());
    }

    [Test]
    public async Task PostReader_AbsolutePathEvenInsideTheModelsDirectory_400() =>
        await Server.Management.PostJsonAsync("/reader", new { model_name = TestModels.Stories260K }, 400);

    [Test]
    public async Task PostReader_BadSettings_400NamingEachField()
    {
        var problem = await Server.Management.PostJsonAsync("/reader",
            new { model_name = "story-a", device = "tpu", model_type = "SEQ2SEQ", consumer_group = "" }, 400);
        var range = await Server.Management.PostJsonAsync("/reader", new { model_name = "story-a", max_batch_size = 0 }, 400);

        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key),
            Is.EquivalentTo(new[] { "device", "model_type", "consumer_group" }));
        Assert.That(range["errors"]!["max_batch_size"], Is.Not.Null, range.ToJsonString());
    }

    [Test]
    public async Task UnknownReaderId_404()
    {
        using var config = await Server.Management.GetAsync("/config/nobody-1");
        using var tokenize = await Server.Client.PostAsJsonAsync("/tokenize/nobody-1", new { text = "hi" });

        Assert.That(config.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(tokenize.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task EachApiAnswersOnlyOnItsOwnPort()
    {
        using var managementOnInference = await Server.Client.GetAsync("/reader_groups");
        using var generateOnManagement = await Server.Management.PostAsJsonAsync("/generate", new { text = "hi", consumer_group = "alpha" });

        Assert.That(managementOnInference.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(generateOnManagement.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task CrossOrigin_OnlyThisServersOwnPagesMayCallTheManagementApiByDefault()
    {
        var swaggerUi = Server.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);
        var byName = $"http://localhost:{Server.Client.BaseAddress!.Port}";

        Assert.That(await AllowedOriginAsync(swaggerUi), Is.EqualTo(swaggerUi));
        Assert.That(await AllowedOriginAsync(byName), Is.EqualTo(byName));
        // Any site could pick the inference port for its own origin.
        Assert.That(await AllowedOriginAsync($"http://evil.example:{Server.Client.BaseAddress!.Port}"), Is.Null);
        Assert.That(await AllowedOriginAsync("http://127.0.0.1:3000"), Is.Null);
        Assert.That(await AllowedOriginAsync("https://example.com"), Is.Null);
    }

    /// <summary>A browser's preflight for DELETE /reader from <paramref name="origin"/>: the origin it may call from, if any.</summary>
    private static async Task<string?> AllowedOriginAsync(string origin)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/reader/any-1");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "DELETE");
        using var response = await Server.Management.SendAsync(preflight);
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var allowed) ? allowed.Single() : null;
    }

    private static Dictionary<string, int> ReaderLoads() =>
        Server.Service<InferenceEngine>().Readers().ToDictionary(r => r.Id, r => r.ActiveSequences + r.QueuedSequences);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the condition never held");
            await Task.Delay(5);
        }
    }
}
