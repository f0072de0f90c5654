namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>A reference to the rule at <see cref="Rule"/> in <see cref="GbnfGrammar.Rules"/>.</summary>
internal sealed record GbnfRuleRef(int Rule) : GbnfElement;
