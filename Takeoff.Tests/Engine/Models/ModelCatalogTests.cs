using System.Text;
using Takeoff.Engine.Models;
using Takeoff.Tests.Integration;

namespace Takeoff.Tests.Engine.Models;

internal sealed class ModelCatalogTests
{
    private static ModelCatalog Parse(string json) =>
        ModelCatalog.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json");

    [Test]
    public void Parse_SnakeCaseFieldsAndDefaults()
    {
        var catalog = Parse("""
            { "models": [ { "name": "a", "file": "a.gguf", "device": "cuda", "max_batch_size": 4, "gpu_layers": 10 } ] }
            """);

        var entry = catalog.Find("a");
        Assert.That(entry.Device, Is.EqualTo(ComputeDevice.Cuda));
        Assert.That(entry.MaxBatchSize, Is.EqualTo(4));
        Assert.That(entry.GpuLayers, Is.EqualTo(10));
        Assert.That(entry.ContextSize, Is.EqualTo(2048));
        Assert.That(entry.ConsumerGroup, Is.EqualTo("primary"));
        Assert.That(entry.MaxQueue, Is.EqualTo(64));
        Assert.That(entry.ModelType, Is.EqualTo(ModelType.Causal));
        Assert.That(entry.Boot, Is.True);
    }

    [Test]
    public void Parse_QuantizationSettings()
    {
        var entry = Parse("""{ "models": [ { "name": "q", "file": "q.gguf", "quantize": "q4_k_m", "allow_requantize": true, "kv_cache_type": "q8_0" } ] }""").Find("q");

        Assert.That((entry.Quantize, entry.AllowRequantize, entry.KvCacheType), Is.EqualTo(("q4_k_m", true, "q8_0")));
        Assert.That(Parse("""{ "models": [ { "name": "f", "file": "f.gguf" } ] }""").Find("f").KvCacheType, Is.EqualTo("f16"));
    }

    [TestCase("""{ "quantize": "q9_9" }""", "'q9_9' is not a weight type this server can quantize to; use one of q8_0, q6_k")]
    [TestCase("""{ "kv_cache_type": "q2_k" }""", "'q2_k' is not a KV cache type; use one of f16, q8_0, q4_0.")]
    public void Parse_UnknownTypes_AreAStartupErrorListingTheValidOnes(string settings, string message)
    {
        var entry = settings.Replace("{", """{ "name": "m", "file": "m.gguf", """, StringComparison.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => Parse($$"""{ "models": [ {{entry}} ] }"""));

        Assert.That(error!.Message, Does.StartWith("test.json: model 'm': ").And.Contain(message));
    }

    [Test]
    public void Parse_ModelTypeInTakeoffCapitals()
    {
        var catalog = Parse("""{ "models": [ { "name": "e", "file": "e.gguf", "model_type": "EMBEDDING" } ] }""");

        Assert.That(catalog.Find("e").ModelType, Is.EqualTo(ModelType.Embedding));
    }

    [Test]
    public void BootEntries_MarkedOnes_OrThoseNamed()
    {
        var catalog = Parse("""
            { "models": [ { "name": "a", "file": "a.gguf" }, { "name": "b", "file": "b.gguf", "boot": false },
                          { "name": "c", "file": "c.gguf" } ] }
            """);

        Assert.That(catalog.BootEntries(null).Select(e => e.Name), Is.EqualTo(new[] { "a", "c" }));
        Assert.That(catalog.BootEntries("b, a").Select(e => e.Name), Is.EqualTo(new[] { "b", "a" }));
        Assert.That(() => catalog.BootEntries("zzz"), Throws.InvalidOperationException.With.Message.Contains("'zzz'"));
    }

    [Test]
    public void Parse_DuplicateName_Fails() =>
        Assert.That(() => Parse("""{ "models": [ { "name": "a", "file": "a.gguf" }, { "name": "A", "file": "b.gguf" } ] }"""),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("used twice"));

    [Test]
    public void Parse_ZeroBatchSize_Fails() =>
        Assert.That(() => Parse("""{ "models": [ { "name": "a", "file": "a.gguf", "max_batch_size": 0 } ] }"""),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("max_batch_size"));

    [TestCase("\"max_batch_size\": 257", "max_batch_size")]
    [TestCase("\"context_size\": 8", "context size")]
    [TestCase("\"max_queue\": -1", "max_queue")]
    [TestCase("\"threads\": 0", "threads")]
    [TestCase("\"threads\": 100000", "threads")]
    [TestCase("\"gpu_layers\": -1", "gpu_layers")]
    public void Parse_BeyondLlamaCppLimits_FailsNamingTheSetting(string setting, string named) =>
        Assert.That(() => Parse($$"""{ "models": [ { "name": "a", "file": "a.gguf", {{setting}} } ] }"""),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains(named));

    [Test]
    public void RepositoryCatalog_BootsStories260KWithUrlAndSha256()
    {
        var catalog = ModelCatalog.Load(Path.Combine(AppContext.BaseDirectory, "models.json"));

        var entry = catalog.BootEntries(null).Single();
        Assert.That(entry.File, Is.EqualTo("stories260K.gguf"));
        Assert.That(entry.Url, Does.StartWith("https://"));
        Assert.That(entry.Sha256, Is.EqualTo(TestModels.Stories260KSha256));
    }
}
