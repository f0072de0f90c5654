using LLama.Native;
using LLama.Sampling;

namespace Takeoff.Engine.Sampling;

/// <summary>A free choice's sampler: its chain samples straight from the logits the decode left in the context.</summary>
internal sealed class RequestSampler(SamplingSettings settings, int penaltyWindow, LLamaToken[] prompt) : BaseSamplingPipeline
{
    protected override SafeLLamaSamplerChainHandle CreateChain(SafeLLamaContextHandle context) =>
        SamplerChains.Build(settings, penaltyWindow, prompt);
}
