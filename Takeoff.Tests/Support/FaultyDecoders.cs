using LLama;
using LLama.Common;
using LLama.Native;
using Takeoff.Engine.Models;
using Takeoff.Engine.Scheduling;

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

    /// <summary>Every decode step of the model first waits this long: a slow model, or a stalled step.</summary>
    public TimeSpan StepDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    public IDecoder For(ModelEntry entry, LLamaWeights weights, ModelParams parameters)
    {
        var real = _real.For(entry, weights, parameters);
        return entry.Name == model ? new Faulty(real, this) : real;
    }

    private sealed class Faulty(IDecoder real, FaultyDecoders faults) : IDecoder
    {
        public LLamaContext CreateContext() => faults._refuseNewContexts
            ? throw new InvalidOperationException("Injected fault: the context cannot be created.")
            : real.CreateContext();

        public DecodeResult Decode(LLamaContext context, LLamaBatch batch)
        {
            if (faults.StepDelay > TimeSpan.Zero)
                Thread.Sleep(faults.StepDelay);
            if (Interlocked.Decrement(ref faults._failingDecodes) >= 0)
                return DecodeResult.DecodeFailed;
            Interlocked.Exchange(ref faults._failingDecodes, 0);
            var status = real.Decode(context, batch);
            if (status == DecodeResult.Ok && faults.EagerToEnd && context.Vocab.EOS is { } endOfSequence)
                context.NativeHandle.GetLogitsIth(-1)[(int)endOfSequence] = 1000f;
            return status;
        }
    }
}
