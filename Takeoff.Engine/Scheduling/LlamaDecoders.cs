using LLama;
using LLama.Common;
using Takeoff.Engine.Models;
using Takeoff.Engine.Text;

namespace Takeoff.Engine.Scheduling;

/// <summary>The real thing: a llama.cpp context over the model's weights (see <see cref="LlamaDecoder"/>).</summary>
internal sealed class LlamaDecoders : IDecoderFactory
{
    public IDecoder For(ModelEntry entry, LLamaWeights weights, ModelParams parameters, ModelText text) =>
        new LlamaDecoder(weights, parameters, text);
}
