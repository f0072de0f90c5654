namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// A rule as llama.cpp builds it: alternatives of element sequences (an empty sequence matches the empty string).
/// Groups and repetitions become synthesized rules named <c>base_N</c>, like llama.cpp's.
/// </summary>
internal sealed record GbnfRule(string Name, IReadOnlyList<IReadOnlyList<GbnfElement>> Alternatives);
