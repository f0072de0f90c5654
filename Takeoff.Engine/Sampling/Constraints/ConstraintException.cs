namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// A constraint (GBNF grammar, regex or JSON Schema) that cannot be enforced or is broken. The message is meant for
/// the client (a 400); <see cref="Keyword"/> says where: a JSON Schema keyword path such as
/// <c>properties.age.multipleOf</c>, <c>pattern</c> for a regex, or null for a grammar.
/// </summary>
internal sealed class ConstraintException(string message, string? keyword = null, Exception? inner = null)
    : Exception(message, inner)
{
    public string? Keyword { get; } = keyword;

    /// <summary>The grammar recurses without end (left recursion, or a rule that can never complete).</summary>
    public bool Recursion { get; init; }
}
