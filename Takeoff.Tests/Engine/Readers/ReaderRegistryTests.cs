using Microsoft.Extensions.Logging.Abstractions;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Models;
using Takeoff.Engine.Readers;
using Takeoff.Engine.Scheduling;
using Takeoff.Tests.Integration;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Engine.Readers;

/// <summary>Routing refusals, and the routing table following a reader's state; serving is covered over HTTP in the integration tests.</summary>
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

    // Mutation: without `reader.Changed += OnReaderChanged` in Add the table keeps the reader as it was added (loading).
    [Test]
    public async Task ReaderChangesState_AfterItWasAdded_RoutingFollows()
    {
        var registry = new ReaderRegistry();
        var entry = new ModelEntry { Name = "Late", File = "stories260K.gguf", ContextSize = 64, MaxBatchSize = 1, ConsumerGroup = "primary" };
        var reader = new Reader("late-1", entry, boot: true);
        registry.Add(reader);
        Assert.That(Refusal(registry, "primary", ModelType.Causal).Message, Does.Contain("still loading"));

        await reader.StartAsync(_ => Task.FromResult(ModelLoader.Load(entry, TestModels.Stories260K, TestModels.Directory,
            new LlamaDecoders(), Engines.Telemetry(), null, TimeProvider.System, NullLoggerFactory.Instance, crashed: _ => { })));
        await using var model = reader.Model!;

        Assert.That(registry.Route("primary", ModelType.Causal), Is.SameAs(model));
        Assert.That(registry.Route("late", ModelType.Causal), Is.SameAs(model), "by model name, in any case");
        reader.Failed("the loop crashed");
        Assert.That(Refusal(registry, "primary", ModelType.Causal).Message, Does.Contain("the loop crashed"));
    }
}
