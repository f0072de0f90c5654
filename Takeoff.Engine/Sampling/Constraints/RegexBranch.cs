namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>A top-level alternative of a pattern, with the anchors (<c>^</c>/<c>\A</c>, <c>$</c>/<c>\z</c>) at its ends.</summary>
internal sealed record RegexBranch(RegexNode Node, bool AnchoredStart, bool AnchoredEnd);
