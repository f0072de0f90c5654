using LLama;
using LLama.Common;
using LLama.Extensions;
using LLama.Native;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Native;
using Takeoff.Engine.Scheduling;

namespace Takeoff.Engine.Embedding;

/// <summary>
/// Pooled, L2-normalized embeddings of token sequences over one llama.cpp context. The context is not shared
/// safely, so inputs are embedded one at a time, each in a cleared memory, and requests take turns input by input
/// (the gate queues its waiters in order): a large request does not hold the others back until it ends. At most
/// <c>maxPending</c> requests may be in hand; beyond that the answer is 503.
/// </summary>
internal sealed class Embedder : IDisposable
{
    private readonly LLamaContext _context;
    private readonly LLamaBatch _batch = new();
    private readonly int _maxPending;
    private readonly string _modelName;
    private readonly Action<Exception> _crashed;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private int _pending;
    private int _requests;

    /// <param name="parameters">A context of its own: embeddings on, one sequence, a batch that holds a whole input.</param>
    /// <param name="crashed">Told when llama.cpp fails on a valid input: the context is then not trusted, and the reader dies.</param>
    public Embedder(LLamaWeights weights, ModelParams parameters, int maxPending, string modelName, Action<Exception> crashed)
    {
        _crashed = crashed;
        _context = CheckedContexts.Create(weights, parameters);
        ContextSize = (int)_context.ContextSize;
        _maxPending = maxPending;
        _modelName = modelName;
    }

    /// <summary>The longest input, in tokens: one batch holds a whole input (a non-causal model cannot split it).</summary>
    public int ContextSize { get; }

    /// <summary>Inputs waiting or being embedded.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public async Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<LLamaToken[]> inputs, CancellationToken cancellation)
    {
        if (_stopping.IsCancellationRequested)
            throw new EngineException(EngineError.NotReady, $"The reader of '{_modelName}' is shutting down.");
        if (Interlocked.Increment(ref _requests) > _maxPending)
        {
            Interlocked.Decrement(ref _requests);
            throw new EngineException(EngineError.Overloaded, $"Model '{_modelName}' has {_maxPending} requests in hand; retry shortly.");
        }
        Interlocked.Add(ref _pending, inputs.Count);

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _stopping.Token);
        var vectors = new float[inputs.Count][];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                await _gate.WaitAsync(linked.Token);
                try
                {
                    vectors[i] = await EmbedOneAsync(inputs[i], linked.Token);
                }
                finally
                {
                    _gate.Release();
                }
            }
            return vectors;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw new EngineException(EngineError.NotReady, $"The reader of '{_modelName}' was removed.");
        }
        finally
        {
            Interlocked.Add(ref _pending, -inputs.Count);
            Interlocked.Decrement(ref _requests);
        }
    }

    private async Task<float[]> EmbedOneAsync(LLamaToken[] tokens, CancellationToken cancellation)
    {
        _context.NativeHandle.MemoryClear(true);
        _batch.Clear();
        _batch.AddRange(tokens, 0, LLamaSeqId.Zero, true);
        var model = _context.NativeHandle.ModelHandle;
        var failed = model.HasEncoder
            ? await _context.EncodeAsync(_batch, cancellation) is var encoded and not EncodeResult.Ok ? encoded.ToString() : null
            : await _context.DecodeAsync(_batch, cancellation) is var decoded and not DecodeResult.Ok ? decoded.ToString() : null;
        if (failed is not null)
        {
            var error = new EngineException(EngineError.Failed, $"llama.cpp could not embed with '{_modelName}': {failed}.");
            _crashed(error);
            throw error;
        }
        var vector = _context.NativeHandle.GetEmbeddingsSeq(LLamaSeqId.Zero).ToArray();
        vector.EuclideanNormalization();
        return vector;
    }

    /// <summary>Waits up to <paramref name="grace"/> for the inputs in hand, then cancels what is left and refuses new ones.</summary>
    public async Task DrainAsync(TimeSpan grace, TimeProvider time)
    {
        await Waiting.UntilAsync(() => Pending == 0, grace, time);
        await _stopping.CancelAsync();
        await _gate.WaitAsync();
    }

    public void Dispose()
    {
        _context.Dispose();
        _stopping.Dispose();
        _gate.Dispose();
    }
}
