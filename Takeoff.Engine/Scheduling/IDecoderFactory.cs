using LLama;
using LLama.Common;
using Takeoff.Engine.Models;

namespace Takeoff.Engine.Scheduling;

/// <summary>Makes each loaded model's <see cref="IDecoder"/>; a service, so that tests can replace it.</summary>
internal interface IDecoderFactory
{
    IDecoder For(ModelEntry entry, LLamaWeights weights, ModelParams parameters);
}
