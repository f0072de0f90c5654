namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// A GBNF grammar checked the way llama.cpp's parser checks it, and stricter where llama.cpp would accept something
/// that breaks at sampling time: llama.cpp returns NULL for a grammar it refuses, and a NULL grammar handed to the
/// sampler crashes the process, so every grammar is parsed here first.
/// </summary>
internal sealed class GbnfGrammar
{
    private readonly Dictionary<string, int> _ruleIndexes;

    internal GbnfGrammar(string text, IReadOnlyList<GbnfRule> rules, int root)
    {
        Text = text;
        Rules = rules;
        Root = root;
        _ruleIndexes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
            _ruleIndexes[rules[i].Name] = i;
    }

    /// <summary>The grammar as given, to hand to llama.cpp.</summary>
    public string Text { get; }

    /// <summary>Named and synthesized rules; <see cref="GbnfRuleRef.Rule"/> indexes this list.</summary>
    public IReadOnlyList<GbnfRule> Rules { get; }

    public int Root { get; }

    public GbnfRule this[string name] => Rules[_ruleIndexes[name]];

    public int IndexOf(string name) => _ruleIndexes[name];

    /// <summary>
    /// Parses <paramref name="text"/>; throws <see cref="ConstraintException"/> with the line and column of the
    /// first problem for anything llama.cpp would refuse, and for what it would accept but cannot serve (see
    /// <see cref="GbnfChecks"/>).
    /// </summary>
    public static GbnfGrammar Parse(string text, string root = "root")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(root);
        var parsed = new GbnfParser(text).Parse();
        return GbnfChecks.Validate(text, parsed, root);
    }
}
