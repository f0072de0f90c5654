using Takeoff.Engine.Generation;
using Takeoff.Engine.Models;
using Takeoff.Engine.Readers;

namespace Takeoff.Tests.Engine.Readers;

/// <summary>What a management request may load, on a real directory tree with real symbolic links.</summary>
internal sealed class ModelSourceTests
{
    private static readonly ModelCatalog Catalog = new()
    {
        Models = [new ModelEntry { Name = "story", File = "story.gguf", ConsumerGroup = "stories" }],
    };

    private string _root = null!;
    private string _models = null!;

    [SetUp]
    public void CreateTree()
    {
        // root/models/{story.gguf, sub/inner.gguf, inside.gguf -> sub/inner.gguf, escape.gguf -> ../outside.gguf, linked -> ..}
        _root = Directory.CreateTempSubdirectory("takeoff-source-").FullName;
        _models = Directory.CreateDirectory(Path.Combine(_root, "models")).FullName;
        Directory.CreateDirectory(Path.Combine(_models, "sub"));
        File.WriteAllText(Path.Combine(_models, "story.gguf"), "GGUF");
        File.WriteAllText(Path.Combine(_models, "sub", "inner.gguf"), "GGUF");
        File.WriteAllText(Path.Combine(_root, "outside.gguf"), "GGUF");
        File.WriteAllText(Path.Combine(_models, "empty.gguf"), "");
        File.CreateSymbolicLink(Path.Combine(_models, "inside.gguf"), Path.Combine("sub", "inner.gguf"));
        File.CreateSymbolicLink(Path.Combine(_models, "escape.gguf"), Path.Combine("..", "outside.gguf"));
        Directory.CreateSymbolicLink(Path.Combine(_models, "linked"), _root);
    }

    [TearDown]
    public void DeleteTree() => Directory.Delete(_root, recursive: true);

    private ModelEntry Resolve(string name) => ModelSource.Resolve(name, Catalog, _models);

    [Test]
    public void CatalogName_IsTheCatalogEntry() =>
        Assert.That(Resolve("story").ConsumerGroup, Is.EqualTo("stories"));

    [TestCase("story.gguf", "story.gguf")]
    [TestCase("sub/inner.gguf", "sub/inner.gguf")]
    [TestCase("inside.gguf", "sub/inner.gguf")]
    [TestCase("linked/models/story.gguf", "story.gguf")] // a detour that ends inside is still inside
    public void GgufInsideTheDirectory_IsServed(string name, string file)
    {
        var entry = Resolve(name);

        Assert.That(entry.Name, Is.EqualTo(name));
        Assert.That(entry.File, Is.EqualTo(file));
    }

    [TestCase("../outside.gguf")]
    [TestCase("sub/../../outside.gguf")]
    [TestCase("escape.gguf")]
    [TestCase("linked/outside.gguf")]
    [TestCase("missing.gguf")]
    [TestCase("story.txt")]
    [TestCase("empty.gguf")]
    public void AnythingElse_IsRefusedNamingModelName(string name)
    {
        var refusal = Assert.Throws<EngineException>(() => Resolve(name))!;

        Assert.That(refusal.Error, Is.EqualTo(EngineError.InvalidArgument));
        Assert.That(refusal.Input, Is.EqualTo(EngineInput.ModelSource));
    }

    [Test]
    public void AbsolutePath_IsRefusedEvenInsideTheDirectory() =>
        Assert.Throws<EngineException>(() => Resolve(Path.Combine(_models, "story.gguf")));
}
