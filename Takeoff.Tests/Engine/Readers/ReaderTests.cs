using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Takeoff.Engine.Diagnostics;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Hosting;
using Takeoff.Engine.Models;
using Takeoff.Engine.Quantization;
using Takeoff.Engine.Readers;
using Takeoff.Engine.Scheduling;
using Takeoff.Tests.Integration;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Engine.Readers;

/// <summary>A reader's life: it loads and stops itself, each change of state reported once, however often it is told to stop.</summary>
internal sealed class ReaderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static ModelEntry Entry(string name = "stories260K") =>
        new() { Name = name, File = "stories260K.gguf", ContextSize = 64, MaxBatchSize = 1 };

    private static LoadedModel Load(ModelEntry entry) => ModelLoader.Load(entry, TestModels.Stories260K, TestModels.Directory,
        new LlamaDecoders(), Engines.Telemetry(), null, TimeProvider.System, NullLoggerFactory.Instance, crashed: _ => { });

    private static (Reader Reader, List<ReaderState> Changes) Reader()
    {
        var changes = new List<ReaderState>();
        var reader = new Reader("r-1", Entry(), boot: false);
        reader.Changed += (_, state) =>
        {
            lock (changes)
                changes.Add(state);
        };
        return (reader, changes);
    }

    // Mutation: StopAsync without its `if (_stopped is not null) return _stopped.Task` runs a second stop, which drains
    // and disposes the freed model again (the two tasks differ, and the second fails on the disposed scheduler).
    [Test]
    public async Task Stop_CalledTwice_StopsOnce_AndReportsEachChangeOnce()
    {
        var (reader, changes) = Reader();
        await reader.StartAsync(_ => Task.FromResult(Load(reader.Entry))).WaitAsync(Patience);
        var model = reader.Model!;

        var first = reader.StopAsync(TimeSpan.FromSeconds(1));
        var second = reader.StopAsync(TimeSpan.Zero);
        await Task.WhenAll(first, second).WaitAsync(Patience);

        Assert.That(second, Is.SameAs(first));
        Assert.That(reader.State, Is.EqualTo(ReaderState.Stopped));
        Assert.That(changes, Is.EqualTo(new[] { ReaderState.Ready, ReaderState.Draining, ReaderState.Stopped }));
        var refusal = Assert.Throws<EngineException>(() => model.Use(m => m.Text.VocabularySize))!;
        Assert.That(refusal.Error, Is.EqualTo(EngineError.NotReady), "its memory was freed");
    }

    // Mutation: without `_cancelLoad?.Invoke()` in the stop, the load is never cancelled and the stop never ends.
    [Test]
    public async Task Stop_WhileLoading_CancelsTheLoad_AndEndsStopped()
    {
        var (reader, changes) = Reader();
        var loadStarted = new TaskCompletionSource();
        var loadCancelled = new TaskCompletionSource();
        var loading = reader.StartAsync(async cancellation =>
        {
            await using var registration = cancellation.Register(() => loadCancelled.TrySetResult());
            loadStarted.SetResult();
            await Task.Delay(Timeout.Infinite, cancellation);
            throw new InvalidOperationException("unreachable");
        });
        await loadStarted.Task.WaitAsync(Patience);

        await reader.StopAsync(TimeSpan.FromSeconds(1)).WaitAsync(Patience);

        Assert.That(loadCancelled.Task.IsCompleted, Is.True);
        Assert.That(loading.IsCompletedSuccessfully, Is.True, "a cancelled load ends quietly");
        Assert.That(reader.State, Is.EqualTo(ReaderState.Stopped));
        Assert.That(changes, Is.EqualTo(new[] { ReaderState.Draining, ReaderState.Stopped }));
    }

    // Mutation: `Move([ReaderState.Draining, ReaderState.Dead], ReaderState.Stopped)` in the stop turns the dead
    // reader into a stopped one and loses why it died.
    [Test]
    public async Task LoadFails_Dead_WithItsMessage_AndStoppingKeepsItDead()
    {
        var (reader, changes) = Reader();
        await reader.StartAsync(_ => throw new ModelFileException("no such file: x.gguf")).WaitAsync(Patience);

        await reader.StopAsync(TimeSpan.Zero).WaitAsync(Patience);

        Assert.That(reader.State, Is.EqualTo(ReaderState.Dead));
        Assert.That(reader.Snapshot().Error, Is.EqualTo("no such file: x.gguf"));
        Assert.That(changes, Is.EqualTo(new[] { ReaderState.Dead }));
    }

    // Mutation: the same non-idempotent StopAsync: the DELETE's stop drains and frees the reader the shutdown is
    // already freeing (its context is disposed twice).
    [Test]
    public async Task Delete_DuringShutdown_JoinsTheShutdownsStop_AndFreesOnce()
    {
        var options = new EngineOptions { ModelsDir = TestModels.Directory, ReaderStopGraceSeconds = 1 };
        var registry = new ReaderRegistry();
        // Slow steps and a long answer: the shutdown's drain is still waiting out its grace when the DELETE comes.
        var decoders = new FaultyDecoders("stories-delete") { StepDelay = TimeSpan.FromMilliseconds(30) };
        await using var manager = new ReaderManager(Options.Create(options), registry,
            new ModelFileResolver(new ModelDownloader(new HttpClient(), NullLogger<ModelDownloader>.Instance)),
            new ModelQuantizer(NullLogger<ModelQuantizer>.Instance), decoders, new EngineMetrics(Engines.Meters()),
            TimeProvider.System, NullLoggerFactory.Instance);
        var reader = manager.Start(Entry("stories-delete"), boot: true);
        var deadline = DateTime.UtcNow + Patience;
        while (reader.State == ReaderState.Loading && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.That(reader.State, Is.EqualTo(ReaderState.Ready));
        var running = ((CausalModel)reader.Model!).Complete(new GenerationRequest
        {
            Prompts = [new Prompt.Text("Once upon a time")], Target = "stories-delete", MaxTokens = 50, MinTokens = 50,
        }, CancellationToken.None);

        var shutdown = manager.ShutdownAsync(TimeSpan.FromSeconds(1));
        var deleted = await manager.StopAsync(reader.Id).WaitAsync(Patience);
        await shutdown.WaitAsync(Patience);

        Assert.That(deleted, Is.True);
        Assert.That((await running).Choices.Single().Summary.FinishReason, Is.EqualTo(FinishReason.Stopped));
        Assert.That(reader.State, Is.EqualTo(ReaderState.Stopped));
        Assert.That(registry.Readers, Is.Empty);
        Assert.That(decoders.Disposals, Is.EqualTo(1));
    }
}
