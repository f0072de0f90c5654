using LLama;
using LLama.Common;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Models;
using Takeoff.Engine.Sampling;
using Takeoff.Engine.Scheduling;
using Takeoff.Engine.Text;

namespace Takeoff.Tests.Support;

/// <summary>
/// The real decoders, except for one model, whose decode steps can be made to fail or stall and whose context can be
/// made impossible to re-create: llama.cpp's failures, on demand, with everything else real.
/// </summary>
internal sealed class FaultyDecoders(string model) : IDecoderFactory
{
    private readonly LlamaDecoders _real = new();
    private int _failingDecodes;
    private volatile bool _refuseNewContexts;
    private long _delayTicks;

    /// <summary>The next <paramref name="count"/> decode steps of the model fail, as llama_decode does when it cannot.</summary>
    public void FailDecodes(int count) => Interlocked.Exchange(ref _failingDecodes, count);

    /// <summary>From now on, making the model's context throws (or, with false, works again).</summary>
    public void RefuseNewContexts(bool refuse = true) => _refuseNewContexts = refuse;

    /// <summary>
    /// After each decode of the model, end-of-generation becomes by far its most likely next token (in the last row of
    /// logits, so for one sequence at a time): a model that wants to stop at once, which stories260K never does.
    /// </summary>
    public bool EagerToEnd { get; set; }

    /// <summary>How many of the model's contexts were freed: once per load, or the model was freed twice.</summary>
    public int Disposals => Volatile.Read(ref _disposals);

    private int _disposals;

    /// <summary>Every decode step of the model first waits this long: a slow model, or a stalled step.</summary>
    public TimeSpan StepDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    public IDecoder For(ModelEntry entry, LLamaWeights weights, ModelParams parameters, ModelText text)
    {
        if (entry.Name != model)
            return _real.For(entry, weights, parameters, text);
        RefuseIfAsked();
        return new Faulty(_real.For(entry, weights, parameters, text), this, weights.Vocab.EOS is { } eos ? (int)eos : null);
    }

    private void RefuseIfAsked()
    {
        if (_refuseNewContexts)
            throw new InvalidOperationException("Injected fault: the context cannot be created.");
    }

    private sealed class Faulty(IDecoder real, FaultyDecoders faults, int? endOfSequence) : IDecoder
    {
        public int BatchCapacity => real.BatchCapacity;

        public int VocabularySize => real.VocabularySize;

        public int BatchTokens => real.BatchTokens;

        public void ClearBatch() => real.ClearBatch();

        public int Add(int token, int position, int sequence, bool logits) => real.Add(token, position, sequence, logits);

        public string? Decode()
        {
            if (faults.StepDelay > TimeSpan.Zero)
                Thread.Sleep(faults.StepDelay);
            if (Interlocked.Decrement(ref faults._failingDecodes) >= 0)
                return "DecodeFailed (injected)";
            Interlocked.Exchange(ref faults._failingDecodes, 0);
            var status = real.Decode();
            if (status is null && faults.EagerToEnd && endOfSequence is { } eos)
                real.Logits(-1)[eos] = 1000f;
            return status;
        }

        public Span<float> Logits(int row) => real.Logits(row);

        public void RemoveCells(int sequence, int from) => real.RemoveCells(sequence, from);

        public void Reset()
        {
            faults.RefuseIfAsked();
            real.Reset();
        }

        public bool IsEndOfGeneration(int token) => real.IsEndOfGeneration(token);

        public IChoiceSampler Sampler(SamplingSettings settings, int penaltyWindow, int[] prompt, string? grammar) =>
            real.Sampler(settings, penaltyWindow, prompt, grammar);

        public IChoiceSampler? ToolCallSampler(SamplingSettings settings, int penaltyWindow, int[] history, string grammar, string opened) =>
            real.ToolCallSampler(settings, penaltyWindow, history, grammar, opened);

        public ITokenText Text() => real.Text();

        public GeneratedToken Describe(int token, ReadOnlySpan<float> logits, int alternatives) => real.Describe(token, logits, alternatives);

        public void Dispose()
        {
            Interlocked.Increment(ref faults._disposals);
            real.Dispose();
        }
    }
}
