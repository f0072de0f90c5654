using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Native;
using Takeoff.Engine.Models;

namespace Takeoff.Engine.Scheduling;

/// <summary>The real thing: LLamaSharp's batched executor and its decode.</summary>
internal sealed class LlamaDecoders : IDecoderFactory
{
    public IDecoder For(ModelEntry entry, LLamaWeights weights, ModelParams parameters) => new Decoder(weights, parameters);

    private sealed class Decoder(LLamaWeights weights, ModelParams parameters) : IDecoder
    {
        public BatchedExecutor CreateExecutor() => new(weights, parameters);

        public Task<DecodeResult> DecodeAsync(BatchedExecutor executor, CancellationToken cancellation) => executor.Infer(cancellation);
    }
}
