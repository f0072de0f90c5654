using Microsoft.Extensions.Logging.Abstractions;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Models;
using Takeoff.Engine.Readers;
using Takeoff.Engine.Scheduling;
using Takeoff.Tests.Integration;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Engine.Readers;

/// <summary>A model is freed only after the calls already on it end; later calls are refused, never run on freed memory.</summary>
internal sealed class LoadedModelLifetimeTests
{
    private static LoadedModel Load()
    {
        var entry = new ModelEntry { Name = "stories260K", File = "stories260K.gguf", ContextSize = 256, MaxBatchSize = 1 };
        return ModelLoader.Load(entry, TestModels.Stories260K, TestModels.Directory, new LlamaDecoders(), Engines.Telemetry(), null,
            TimeProvider.System, NullLoggerFactory.Instance, crashed: _ => { });
    }

    [Test]
    public async Task Dispose_WaitsForACallInProgress_ThenRefusesNewOnes()
    {
        var model = Load();
        var inside = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var call = Task.Run(() => model.Use(m =>
        {
            inside.SetResult();
            release.Task.Wait();
            return m.Text.Tokenize("Once upon a time", addBos: false, parseSpecial: false).Length;
        }));
        await inside.Task;

        var disposal = model.DisposeAsync().AsTask();
        await Task.Delay(50);
        Assert.That(disposal.IsCompleted, Is.False, "the model was freed under a call still using it");
        release.SetResult();

        Assert.That(await call, Is.EqualTo(4));
        await disposal;
        var refusal = Assert.Throws<EngineException>(() => model.Use(m => m.Text.VocabularySize))!;
        Assert.That(refusal.Error, Is.EqualTo(EngineError.NotReady));
    }
}
