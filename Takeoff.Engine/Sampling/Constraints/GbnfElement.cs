namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>One element of an alternative of a parsed GBNF rule: a character test or a rule reference.</summary>
internal abstract record GbnfElement;
