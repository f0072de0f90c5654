namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>
/// The sandbox's bounds for one render. Defaults leave every real chat template far inside them (the largest of the
/// 60-template corpus with tools runs a few hundred iterations and a few kilobytes) while a hostile template stops
/// in milliseconds.
/// </summary>
public sealed record JinjaRenderOptions
{
    public static JinjaRenderOptions Default { get; } = new();

    /// <summary>Loop iterations over the whole render, all loops together (and the length of a <c>range</c>).</summary>
    public int MaxLoopIterations { get; init; } = 1_000_000;

    /// <summary>Macros calling macros (or themselves): deeper than this is an error, never a stack overflow.</summary>
    public int MaxCallDepth { get; init; } = 64;

    /// <summary>Characters of output, and of any one string the template builds on its way there.</summary>
    public int MaxOutputLength { get; init; } = 4 * 1024 * 1024;

    /// <summary>The clock <c>strftime_now</c> reads (local time, as transformers' <c>datetime.now()</c>).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
