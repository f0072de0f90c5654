using Takeoff.Engine.Errors;
using Takeoff.Engine.Generation;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// An output constraint as a GBNF grammar that llama.cpp will accept: converted (schema, regex) or given, and parsed
/// by our own strict parser first, on the caller's thread. A grammar llama.cpp cannot load crashes the process at the
/// first sample, so nothing reaches it unchecked; a refusal is a 400 naming the input and the keyword.
/// </summary>
internal static class ConstraintCompiler
{
    /// <param name="vocabularySize">The model's vocabulary size: the cost limits scale with it (0: unknown).</param>
    public static string ToGbnf(OutputConstraint constraint, int vocabularySize = 0)
    {
        var (input, convert) = constraint switch
        {
            OutputConstraint.JsonSchema schema => (EngineInput.JsonSchema, () => JsonSchemaGrammar.ToGbnf(schema.Schema)),
            OutputConstraint.JsonObject => (EngineInput.JsonSchema, () => JsonSchemaGrammar.AnyObject),
            OutputConstraint.Regex regex => (EngineInput.Regex, () => RegexGrammar.ToGbnf(regex.Pattern)),
            OutputConstraint.Grammar grammar => (EngineInput.Grammar, (Func<string>)(() => grammar.Gbnf)),
            _ => throw new ArgumentOutOfRangeException(nameof(constraint)),
        };
        try
        {
            var gbnf = convert();
            // Before llama.cpp ever sees it: what it would cost per token is bounded here, for every source.
            GbnfCost.Require(GbnfGrammar.Parse(gbnf), vocabularySize);
            return gbnf;
        }
        catch (ConstraintException refused)
        {
            var where = refused.Keyword is { } keyword && !refused.Message.Contains(keyword, StringComparison.Ordinal) ? $" (at {keyword})" : "";
            throw EngineException.Invalid(input, refused.Message + where);
        }
    }
}
