using LLama;
using LLama.Abstractions;

namespace Takeoff.Engine.Native;

/// <summary>
/// Every llama.cpp context is made here. LLamaSharp 0.30 wraps whatever llama.cpp returns: a context llama.cpp refused
/// comes back as a null handle, which would serve as "ready" and kill the process at its first decode. It is refused
/// here instead, with llama.cpp's own reason, so that the reader is dead and says why.
/// </summary>
internal static class CheckedContexts
{
    public static LLamaContext Create(LLamaWeights weights, IContextParams parameters)
    {
        NativeBackend.TakeLastError();
        var context = weights.CreateContext(parameters);
        if (!context.NativeHandle.IsInvalid)
            return context;
        var reason = NativeBackend.TakeLastError() ?? "no reason given";
        context.Dispose();
        throw new InvalidOperationException($"llama.cpp could not create the context: {reason}");
    }
}
