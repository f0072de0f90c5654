using LLama;
using LLama.Common;
using Takeoff.Engine.Models;
using Takeoff.Engine.Text;

namespace Takeoff.Engine.Scheduling;

/// <summary>Makes each loaded model's <see cref="IDecoder"/>; a service, so that tests can replace it.</summary>
internal interface IDecoderFactory
{
    /// <param name="text">The model's text side, for log-probabilities' token pieces.</param>
    IDecoder For(ModelEntry entry, LLamaWeights weights, ModelParams parameters, ModelText text);
}
