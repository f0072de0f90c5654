using LLama.Native;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Generation;

namespace Takeoff.Engine.Native;

/// <summary>
/// llama.cpp's grammar sampler, made safely. LLamaSharp adds whatever <c>llama_sampler_init_grammar</c> returns to
/// the chain unchecked, and a NULL there (a grammar llama.cpp refuses) segfaults at the first sample; so every chain
/// is checked for a NULL stage, through llama.cpp's own <c>llama_sampler_chain_get</c>, before it is used.
/// </summary>
internal static class GrammarSamplers
{
    /// <summary>A chain holding only the grammar, or a 400 when llama.cpp refuses the grammar.</summary>
    public static SafeLLamaSamplerChainHandle Create(SafeLlamaModelHandle.Vocabulary vocabulary, string gbnf)
    {
        var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        chain.AddGrammar(vocabulary, gbnf, "root");
        if (LlamaExports.SamplerChainGet(chain.DangerousGetHandle(), 0) != IntPtr.Zero)
            return chain;
        chain.Dispose();
        throw EngineException.Invalid(EngineInput.Grammar, "llama.cpp refused the grammar (it could not parse it).");
    }
}
