using LLama.Native;

namespace Takeoff.Engine.Native;

/// <summary>
/// One llama.cpp batch, allocated once by <c>llama_batch_init</c> and refilled every step, as llama-server keeps its
/// batch. LLamaSharp's <see cref="LLamaBatch"/> instead pins each of its arrays on every decode, one per token it has
/// room for, each through a GC handle held in a list it allocates: 133 pins a step at its smallest and over 1,000
/// after one long prompt. Profiled on stories260K at 1 client, that was a fifth of the loop thread's time.
/// </summary>
internal sealed unsafe class NativeBatch : IDisposable
{
    private LLamaNativeBatch _batch;
    private bool _freed;

    /// <param name="capacity">The most tokens one step adds: the context's batch size.</param>
    public NativeBatch(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _batch = NativeApi.llama_batch_init(capacity, 0, 1);
    }

    public int Capacity { get; }

    public int TokenCount => _batch.n_tokens;

    public void Clear() => _batch.n_tokens = 0;

    /// <summary>Adds a token of one sequence; returns its index in the batch (where its logits will be).</summary>
    public int Add(int token, int position, int sequence, bool logits)
    {
        // llama_batch_init's arrays hold Capacity tokens: one more would write past them.
        if (_batch.n_tokens == Capacity)
            throw new InvalidOperationException($"The batch holds at most {Capacity} tokens.");
        var index = _batch.n_tokens++;
        _batch.tokens[index] = (LLamaToken)token;
        _batch.pos[index] = position;
        _batch.n_seq_id[index] = 1;
        _batch.seq_id[index][0] = (LLamaSeqId)sequence;
        _batch.logits[index] = logits ? (byte)1 : (byte)0;
        return index;
    }

    public DecodeResult Decode(SafeLLamaContextHandle context)
    {
        if (_batch.n_tokens == 0)
            return DecodeResult.Ok;
        lock (LlamaExports.InferenceLock(null))
            return (DecodeResult)LlamaExports.Decode(context.DangerousGetHandle(), _batch);
    }

    public void Dispose()
    {
        if (_freed)
            return;
        _freed = true;
        NativeApi.llama_batch_free(_batch);
    }
}
