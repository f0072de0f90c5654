using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Takeoff.Engine.Models;

namespace Takeoff.Tests.Integration.Security;

/// <summary>
/// A FIFO in the models folder (opening one blocks until a writer comes) is refused before anything opens it: the
/// load, and the header read that a quantizing request does on the request thread, would otherwise hang for ever.
/// </summary>
internal sealed class HostileFileTests
{
    private string _models = "";

    [OneTimeSetUp]
    public void MakeModelsFolder()
    {
        _models = Directory.CreateTempSubdirectory("takeoff-fifo-").FullName;
        File.Copy(TestModels.Stories260K, Path.Combine(_models, "stories260K.gguf"));
        using var mkfifo = Process.Start("mkfifo", Path.Combine(_models, "fifo.gguf"));
        mkfifo.WaitForExit();
        Assert.That(mkfifo.ExitCode, Is.Zero);
    }

    [OneTimeTearDown]
    public void RemoveModelsFolder() => Directory.Delete(_models, recursive: true);

    [Test]
    public async Task PostReader_Fifo_400NamingModelName_WithinASecond_ThenTheServerAnswers()
    {
        await using var server = await StartAsync();
        var clock = Stopwatch.StartNew();

        var problem = await server.Management.PostJsonAsync("/reader", new { model_name = "fifo.gguf" }, 400);
        var quantized = await server.Management.PostJsonAsync("/reader", new { model_name = "fifo-entry", quantize = "q6_k" }, 400);

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
        Assert.That(problem["errors"]!["model_name"]![0]!.GetValue<string>(), Does.Contain("not a regular file"));
        Assert.That(quantized["errors"]!["model_name"]![0]!.GetValue<string>(), Does.Contain("not a regular file"));
        var answer = await server.Client.GenerateAsync(new { text = "Once upon a time", max_new_tokens = 3 });
        Assert.That(answer["text"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public void LoadOfAFifo_FailsSayingWhy_BeforeLlamaCppOpensIt()
    {
        var resolver = new ModelFileResolver(new ModelDownloader(new HttpClient(), NullLogger<ModelDownloader>.Instance));
        var entry = new ModelEntry { Name = "fifo-entry", File = "fifo.gguf" };

        var load = resolver.ResolveAsync(entry, _models, CancellationToken.None);

        Assert.That(async () => await load, Throws.TypeOf<ModelFileException>().With.Message.Contains("not a regular file"));
    }

    private Task<TakeoffServer> StartAsync() => TakeoffServer.StartWithModelsAsync(
        [
            TakeoffServer.Stories260K("story"),
            new JsonObject { ["name"] = "fifo-entry", ["file"] = "fifo.gguf", ["boot"] = false, ["consumer_group"] = "fifo" },
        ],
        modelsDirectory: _models);
}
