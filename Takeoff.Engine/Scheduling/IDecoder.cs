using Takeoff.Engine.Generation;
using Takeoff.Engine.Sampling;

namespace Takeoff.Engine.Scheduling;

/// <summary>
/// Where the scheduler loop meets llama.cpp: one shared context with its batch, KV cells and logits, and each choice's
/// sampler and detokenizer. It names no llama.cpp type, so that a test can drive the loop with a scripted model (a
/// decode that fails, a context that cannot be re-created, a step that stalls, a choice that ends on cue). Every
/// member is called on the loop's thread only.
/// </summary>
internal interface IDecoder : IDisposable
{
    /// <summary>Tokens one decode can take.</summary>
    int BatchCapacity { get; }

    int VocabularySize { get; }

    /// <summary>Tokens in the batch being built.</summary>
    int BatchTokens { get; }

    void ClearBatch();

    /// <summary>Adds a token of <paramref name="sequence"/> at <paramref name="position"/> to the batch.</summary>
    /// <returns>The row of the logits the decode leaves for it (meaningful only when <paramref name="logits"/>).</returns>
    int Add(int token, int position, int sequence, bool logits);

    /// <summary>Decodes the batch, synchronously: the loop does nothing else meanwhile.</summary>
    /// <returns>Null when it worked; otherwise llama.cpp's status, for the log.</returns>
    string? Decode();

    /// <summary>
    /// The logits of one row of the last decode, in place (no copy: a vocabulary's worth per token would be the
    /// step's largest cost): masking them changes what the choice's sampler then sees.
    /// </summary>
    Span<float> Logits(int row);

    /// <summary>Frees <paramref name="sequence"/>'s KV cells from <paramref name="from"/> on.</summary>
    void RemoveCells(int sequence, int from);

    /// <summary>After a failed decode the cache is in an unknown state: a fresh context, empty. Throws when none can be made.</summary>
    void Reset();

    bool IsEndOfGeneration(int token);

    /// <summary>A choice's sampler: free, or held to <paramref name="grammar"/> (GBNF llama.cpp has accepted).</summary>
    /// <param name="penaltyWindow">Tokens the repetition penalties look back over.</param>
    IChoiceSampler Sampler(SamplingSettings settings, int penaltyWindow, int[] prompt, string? grammar);

    /// <summary>
    /// The sampler of a tool call the answer opened (tool_choice "auto"): held to <paramref name="grammar"/> from here
    /// on, after it has accepted <paramref name="opened"/>, the call's text so far; null when the grammar refuses that text.
    /// </summary>
    /// <param name="history">The prompt and the tokens generated so far (the penalties look back over them).</param>
    IChoiceSampler? ToolCallSampler(SamplingSettings settings, int penaltyWindow, int[] history, string grammar, string opened);

    /// <summary>A choice's detokenizer, which never splits a UTF-8 character.</summary>
    ITokenText Text();

    /// <summary>A token with its log-probability and the <paramref name="alternatives"/> most likely ones.</summary>
    GeneratedToken Describe(int token, ReadOnlySpan<float> logits, int alternatives);
}
