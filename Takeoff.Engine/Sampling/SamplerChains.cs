using LLama.Native;

namespace Takeoff.Engine.Sampling;

/// <summary>
/// One choice's llama.cpp sampler chain, in Hugging Face's order (penalties, temperature, top-k, top-p, min-p, draw)
/// so that Takeoff's parameters mean what they mean there. As in Hugging Face and llama-server, the penalties also
/// cover the prompt: it is fed to the chain when the chain is built.
/// </summary>
internal static class SamplerChains
{
    public static SafeLLamaSamplerChainHandle Build(SamplingSettings settings, int penaltyWindow, LLamaToken[] prompt)
    {
        var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        if (settings.HasPenalties)
        {
            chain.AddPenalties(penaltyWindow, settings.RepetitionPenalty, settings.FrequencyPenalty, settings.PresencePenalty);
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
        if (settings.MinP > 0)
            chain.AddMinP(settings.MinP, 1);
        chain.AddDistributionSampler(settings.Seed ?? (uint)Random.Shared.Next());
        return chain;
    }
}
