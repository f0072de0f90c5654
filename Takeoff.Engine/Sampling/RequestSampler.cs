using LLama.Native;
using LLama.Sampling;

namespace Takeoff.Engine.Sampling;

/// <summary>
/// One request's llama.cpp sampler chain, in Hugging Face's order (penalty, temperature, top-k, top-p, draw)
/// so that Takeoff parameters mean what they mean there. As in Hugging Face, the repetition penalty also
/// covers the prompt: <paramref name="prompt"/> is fed to the chain when it is built.
/// </summary>
internal sealed class RequestSampler(SamplingSettings settings, int penaltyWindow, LLamaToken[] prompt) : BaseSamplingPipeline
{
    protected override SafeLLamaSamplerChainHandle CreateChain(SafeLLamaContextHandle context)
    {
        var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        if (settings.RepetitionPenalty != 1.0f)
        {
            chain.AddPenalties(penaltyWindow, settings.RepetitionPenalty, 0, 0);
            foreach (var token in prompt)
                chain.Accept(token);
        }

        if (settings.IsGreedy)
        {
            chain.AddGreedySampler();
            return chain;
        }

        chain.AddTemperature(settings.Temperature);
        if (settings.TopK > 0)
            chain.AddTopK(settings.TopK);
        if (settings.TopP < 1.0f)
            chain.AddTopP(settings.TopP, 1);
        chain.AddDistributionSampler(settings.Seed ?? (uint)Random.Shared.Next());
        return chain;
    }
}
