using LLama;
using LLama.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Takeoff.Engine.Native;
using Takeoff.Tests.Integration;

namespace Takeoff.Tests.Engine.Native;

/// <summary>A context llama.cpp refuses is an error carrying llama.cpp's reason, never a handle that crashes later.</summary>
internal sealed class CheckedContextsTests
{
    [Test]
    public void Create_ContextLlamaCppRefuses_ThrowsWithItsReason()
    {
        NativeBackend.EnsureLoaded(NullLogger.Instance);
        using var weights = LLamaWeights.LoadFromFile(new ModelParams(TestModels.Stories260K));

        // Past NativeLimits on purpose: this is the value POST /reader now refuses before it gets here.
        var refused = new ModelParams(TestModels.Stories260K) { ContextSize = 257 * 64, SeqMax = 257, KVUnified = false };

        Assert.That(() => CheckedContexts.Create(weights, refused),
            Throws.InvalidOperationException.With.Message.Contains("n_seq_max"));
    }

    [Test]
    public void Create_ValidContext_IsUsable()
    {
        NativeBackend.EnsureLoaded(NullLogger.Instance);
        using var weights = LLamaWeights.LoadFromFile(new ModelParams(TestModels.Stories260K));

        using var context = CheckedContexts.Create(weights, new ModelParams(TestModels.Stories260K) { ContextSize = 256, SeqMax = 1 });

        Assert.That(context.ContextSize, Is.EqualTo(256));
    }
}
