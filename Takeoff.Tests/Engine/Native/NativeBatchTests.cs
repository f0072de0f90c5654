using LLama;
using LLama.Common;
using LLama.Native;
using Microsoft.Extensions.Logging.Abstractions;
using Takeoff.Engine.Native;
using Takeoff.Tests.Integration;

namespace Takeoff.Tests.Engine.Native;

/// <summary>The loop's llama.cpp batch: what llama_batch_init made room for, and not a token more.</summary>
internal sealed class NativeBatchTests
{
    [Test]
    public void ATokenPastItsCapacity_IsRefusedBeforeItIsWritten_AndTheBatchStillDecodes()
    {
        NativeBackend.EnsureLoaded(NullLogger.Instance);
        var parameters = new ModelParams(Path.Combine(TestModels.Directory, "stories260K.gguf")) { ContextSize = 64, GpuLayerCount = 0 };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var context = weights.CreateContext(parameters);
        using var batch = new NativeBatch(2);

        Assert.That(batch.Add(1, 0, 0, logits: false), Is.EqualTo(0));
        Assert.That(batch.Add(2, 1, 0, logits: true), Is.EqualTo(1));
        Assert.That(() => batch.Add(3, 2, 0, logits: true), Throws.InvalidOperationException.With.Message.Contains("at most 2"));

        Assert.That(batch.TokenCount, Is.EqualTo(2));
        Assert.That(batch.Decode(context.NativeHandle), Is.EqualTo(DecodeResult.Ok));
        Assert.That(context.NativeHandle.GetLogitsIth(1).ToArray(), Has.Some.Not.EqualTo(0f), "the last token's logits");
        batch.Clear();
        Assert.That(batch.Add(3, 2, 0, logits: true), Is.EqualTo(0), "cleared, it takes tokens again");
        Assert.That(batch.Decode(context.NativeHandle), Is.EqualTo(DecodeResult.Ok));
    }
}
