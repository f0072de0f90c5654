namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// What <see cref="GbnfParser"/> read, before the whole-grammar checks: every symbol (named or synthesized) with
/// its alternatives, null where a name is referenced but never defined.
/// </summary>
internal sealed record GbnfParseResult(
    IReadOnlyList<string> Names,
    IReadOnlyList<IReadOnlyList<IReadOnlyList<GbnfElement>>?> Bodies,
    IReadOnlyDictionary<int, int> FirstReference,
    IReadOnlyDictionary<int, int> Definition,
    GbnfSource Source);
