using Takeoff.Engine.Generation;
using Takeoff.Engine.Models;
using Takeoff.Engine.Readers;

namespace Takeoff.Tests.Engine.Readers;

/// <summary>Routing refusals; routing to ready readers is covered over HTTP in the integration tests.</summary>
internal sealed class ReaderRegistryTests
{
    private static Reader Reader(string id, string group, ModelType type = ModelType.Causal, string? error = null)
    {
        var reader = new Reader(id, new ModelEntry { Name = id, File = "x.gguf", ConsumerGroup = group, ModelType = type }, boot: true);
        if (error is not null)
            reader.Failed(error);
        return reader;
    }

    private static EngineException Refusal(ReaderRegistry registry, string group, ModelType type) =>
        Assert.Throws<EngineException>(() => registry.Route(group, type))!;

    [Test]
    public void UnknownGroup_NotFound_ListingKnownGroups()
    {
        var registry = new ReaderRegistry();
        registry.Add(Reader("a", "primary"));
        registry.Add(Reader("b", "secondary"));

        var refusal = Refusal(registry, "nope", ModelType.Causal);

        Assert.That(refusal.Error, Is.EqualTo(EngineError.NotFound));
        Assert.That(refusal.Message, Does.Contain("'nope'").And.Contain("primary, secondary"));
    }

    [Test]
    public void GroupStillLoading_NotReady()
    {
        var registry = new ReaderRegistry();
        registry.Add(Reader("a", "primary", error: "bad file"));
        registry.Add(Reader("b", "primary"));

        var refusal = Refusal(registry, "primary", ModelType.Causal);

        // Loading and dead are both NotReady; only the message tells a client to wait rather than to call an operator.
        Assert.That(refusal.Error, Is.EqualTo(EngineError.NotReady));
        Assert.That(refusal.Message, Does.Contain("still loading").And.Not.Contain("bad file"));
    }

    [Test]
    public void GroupAllDead_NotReady_WithTheError()
    {
        var registry = new ReaderRegistry();
        registry.Add(Reader("a", "primary", error: "bad file"));

        var refusal = Refusal(registry, "primary", ModelType.Causal);

        Assert.That(refusal.Error, Is.EqualTo(EngineError.NotReady));
        Assert.That(refusal.Message, Does.Contain("bad file"));
    }

    [Test]
    public void EmbedOnCausalGroup_InvalidArgument_NamingConsumerGroup()
    {
        var registry = new ReaderRegistry();
        registry.Add(Reader("a", "primary"));

        var refusal = Refusal(registry, "primary", ModelType.Embedding);

        Assert.That(refusal.Error, Is.EqualTo(EngineError.InvalidArgument));
        Assert.That(refusal.Input, Is.EqualTo(EngineInput.Target));
    }

    [Test]
    public void Remove_TakesTheReaderOutOfRouting()
    {
        var registry = new ReaderRegistry();
        registry.Add(Reader("a", "primary"));

        Assert.That(registry.Remove("a")?.Id, Is.EqualTo("a"));
        Assert.That(registry.Remove("a"), Is.Null);
        Assert.That(Refusal(registry, "primary", ModelType.Causal).Error, Is.EqualTo(EngineError.NotFound));
    }
}
