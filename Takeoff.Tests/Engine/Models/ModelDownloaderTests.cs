using Microsoft.Extensions.Logging.Abstractions;
using Takeoff.Engine.Models;
using Takeoff.Tests.Integration;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Engine.Models;

/// <summary>The download path, exercised over real HTTP against a loopback server that serves the real model file.</summary>
internal sealed class ModelDownloaderTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("takeoff-download-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task Resolve_MissingFileWithUrl_DownloadsVerifiesAndReportsProgress()
    {
        using var host = ModelHub.Serve(TestModels.Stories260K);
        var progress = new List<DownloadProgress>();
        var resolver = new ModelFileResolver(NewDownloader(), new SynchronousProgress(progress.Add));
        var entry = new ModelEntry { Name = "s", File = "sub/stories.gguf", Url = host.Url, Sha256 = TestModels.Stories260KSha256 };

        var path = await resolver.ResolveAsync(entry, _folder, CancellationToken.None);

        Assert.That(path, Is.EqualTo(Path.Combine(_folder, "sub", "stories.gguf")));
        Assert.That(await ModelDownloader.ComputeSha256Async(path, CancellationToken.None), Is.EqualTo(TestModels.Stories260KSha256));
        Assert.That(progress[^1].Received, Is.EqualTo(new FileInfo(TestModels.Stories260K).Length));
        Assert.That(progress[^1].Total, Is.EqualTo(progress[^1].Received));
        Assert.That(progress, Has.Count.GreaterThan(1));
    }

    [Test]
    public void Resolve_WrongSha256_FailsAndLeavesNoFile()
    {
        using var host = ModelHub.Serve(TestModels.Stories260K);
        var entry = new ModelEntry { Name = "s", File = "stories.gguf", Url = host.Url, Sha256 = new string('0', 64) };

        Assert.That(() => new ModelFileResolver(NewDownloader()).ResolveAsync(entry, _folder, CancellationToken.None),
            Throws.TypeOf<ModelFileException>().With.Message.Contains("sha256 mismatch"));
        Assert.That(Directory.GetFiles(_folder), Is.Empty, "neither the file nor its .part may be left behind");
    }

    [Test]
    public void Resolve_Unreachable_FailsFastNamingTheFileAndWhereToPutIt()
    {
        var entry = new ModelEntry { Name = "s", File = "stories.gguf", Url = $"http://127.0.0.1:{ModelHub.FreeLoopbackPort()}/stories.gguf" };

        Assert.That(() => new ModelFileResolver(NewDownloader()).ResolveAsync(entry, _folder, CancellationToken.None),
            Throws.TypeOf<ModelFileException>()
                .With.Message.Contains("stories.gguf")
                .And.Message.Contains(Path.Combine(_folder, "stories.gguf"))
                .And.Message.Contains("TAKEOFF_MODELS_DIR"));
    }

    [Test]
    public void Resolve_MissingFileWithoutUrl_SaysWhereToPutIt()
    {
        var entry = new ModelEntry { Name = "s", File = "absent.gguf" };

        Assert.That(() => new ModelFileResolver(NewDownloader()).ResolveAsync(entry, _folder, CancellationToken.None),
            Throws.TypeOf<ModelFileException>().With.Message.Contains(Path.Combine(_folder, "absent.gguf")));
    }

    private static ModelDownloader NewDownloader() =>
        new(ModelDownloader.CreateDefaultClient(), NullLogger<ModelDownloader>.Instance);

    private sealed class SynchronousProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
