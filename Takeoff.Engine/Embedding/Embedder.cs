using LLama;
using LLama.Common;
using LLama.Native;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Scheduling;
using Takeoff.Engine.Text;

namespace Takeoff.Engine.Embedding;

/// <summary>
/// Pooled, L2-normalized embeddings through LLamaSharp's <see cref="LLamaEmbedder"/>. Its context is not shared
/// safely, so inputs are embedded one at a time; at most <c>maxQueue</c> may wait, beyond that the answer is 503.
/// </summary>
internal sealed class Embedder : IDisposable
{
    private readonly LLamaEmbedder _embedder;
    private readonly ModelText _text;
    private readonly int _contextSize;
    private readonly int _maxPending;
    private readonly string _modelName;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private int _pending;

    public Embedder(LLamaWeights weights, ModelParams parameters, ModelText text, int maxPending, string modelName)
    {
        // One batch holds a whole input: non-causal models cannot split it, and LLamaEmbedder requires equal sizes.
        parameters.BatchSize = parameters.ContextSize ?? 512;
        parameters.UBatchSize = parameters.BatchSize;
        parameters.Embeddings = true;
        parameters.PoolingType = ModelPooling(weights, parameters) == LLamaPoolingType.None
            ? LLamaPoolingType.Mean // A generative model declares no pooling; the mean of its hidden states is the usual choice.
            : LLamaPoolingType.Unspecified; // An embedding model's own pooling (CLS, mean, last) is the one it was trained for.
        _embedder = new LLamaEmbedder(weights, parameters);
        _text = text;
        _contextSize = (int)parameters.BatchSize;
        _maxPending = maxPending;
        _modelName = modelName;
    }

    /// <summary>Inputs waiting or being embedded.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public async Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> inputs, CancellationToken cancellation)
    {
        if (_stopping.IsCancellationRequested)
            throw new EngineException(EngineError.NotReady, $"The reader of '{_modelName}' is shutting down.");
        foreach (var input in inputs)
        {
            var length = _text.Tokenize(input, addBos: true, parseSpecial: true).Length;
            if (length > _contextSize)
                throw new EngineException(EngineError.InvalidArgument,
                    $"An input is {length} tokens but '{_modelName}' embeds at most {_contextSize}.", "text");
        }
        // A request larger than the queue is taken when nothing else waits, so that it can ever be served.
        var waiting = Interlocked.Add(ref _pending, inputs.Count) - inputs.Count;
        if (waiting > 0 && waiting + inputs.Count > _maxPending)
        {
            Interlocked.Add(ref _pending, -inputs.Count);
            throw new EngineException(EngineError.Overloaded, $"Model '{_modelName}' has {waiting} inputs waiting; retry shortly.");
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _stopping.Token);
        var vectors = new float[inputs.Count][];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                await _gate.WaitAsync(linked.Token);
                try
                {
                    vectors[i] = (await _embedder.GetEmbeddings(inputs[i], linked.Token)).Single();
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
        }
    }

    /// <summary>Waits up to <paramref name="grace"/> for the inputs in hand, then cancels what is left and refuses new ones.</summary>
    public async Task DrainAsync(TimeSpan grace, TimeProvider time)
    {
        await Waiting.UntilAsync(() => Pending == 0, grace, time);
        await _stopping.CancelAsync();
        await _gate.WaitAsync();
    }

    private static LLamaPoolingType ModelPooling(LLamaWeights weights, ModelParams parameters)
    {
        using var probe = weights.CreateContext(parameters);
        return probe.NativeHandle.PoolingType;
    }

    public void Dispose()
    {
        _embedder.Dispose();
        _stopping.Dispose();
        _gate.Dispose();
    }
}
