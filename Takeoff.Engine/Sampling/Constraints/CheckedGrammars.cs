using LLama.Native;
using Microsoft.Extensions.Caching.Memory;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Native;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// The grammars one model has accepted, by constraint. Applications send the same schema with every request; converting
/// it and having llama.cpp load it once more each time costs the request thread a millisecond or more, which on two
/// cores is taken from the decode. Refusals are not kept: they are rare and answer with a fresh message.
/// </summary>
internal sealed class CheckedGrammars(SafeLlamaModelHandle.Vocabulary vocabulary) : IDisposable
{
    // Sized in characters (key and grammar): a request body may hold megabytes of schema, and a count would let a few
    // hundred such bodies pin gigabytes.
    private readonly MemoryCache _accepted = new(new MemoryCacheOptions { SizeLimit = 16 * 1024 * 1024 });

    /// <summary>The constraint's grammar, parsed by our parser and then loaded once by llama.cpp, before anything is queued.</summary>
    public string For(OutputConstraint constraint)
    {
        var key = Key(constraint);
        return _accepted.GetOrCreate(key, entry =>
        {
            var gbnf = ConstraintCompiler.ToGbnf(constraint, vocabulary.Count);
            GrammarSamplers.Create(vocabulary, gbnf).Dispose();
            entry.Size = key.Length + gbnf.Length;
            return gbnf;
        })!;
    }

    private static string Key(OutputConstraint constraint) => constraint switch
    {
        OutputConstraint.JsonSchema schema => "schema:" + schema.Schema.GetRawText(),
        OutputConstraint.JsonObject => "object",
        OutputConstraint.Regex regex => "regex:" + regex.Pattern,
        OutputConstraint.Grammar grammar => "grammar:" + grammar.Gbnf,
        _ => throw new ArgumentOutOfRangeException(nameof(constraint)),
    };

    public void Dispose() => _accepted.Dispose();
}
