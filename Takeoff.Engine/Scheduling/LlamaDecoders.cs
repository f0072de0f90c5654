using LLama;
using LLama.Common;
using LLama.Native;
using Takeoff.Engine.Models;
using Takeoff.Engine.Native;

namespace Takeoff.Engine.Scheduling;

/// <summary>The real thing: a llama.cpp context over the model's weights, and its decode.</summary>
internal sealed class LlamaDecoders : IDecoderFactory
{
    public IDecoder For(ModelEntry entry, LLamaWeights weights, ModelParams parameters) => new Decoder(weights, parameters);

    private sealed class Decoder(LLamaWeights weights, ModelParams parameters) : IDecoder
    {
        public LLamaContext CreateContext() => CheckedContexts.Create(weights, parameters);

        public DecodeResult Decode(LLamaContext context, LLamaBatch batch) => context.Decode(batch);
    }
}
