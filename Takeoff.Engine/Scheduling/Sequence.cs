using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using LLama;
using LLama.Batched;
using LLama.Native;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Sampling;

namespace Takeoff.Engine.Scheduling;

/// <summary>
/// One request's slot in the shared context: its conversation (KV cells), sampler, decoder and stop logic.
/// Touched only by the scheduler loop, except <see cref="Output"/>, which the caller reads.
/// </summary>
internal sealed class Sequence : IDisposable
{
    private readonly Channel<TokenPiece> _output =
        Channel.CreateUnbounded<TokenPiece>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly List<int> _generated = [];
    private readonly PreparedRequest _prepared;
    private readonly LogitMask _mask;
    private readonly TimeProvider _time;
    private readonly long _submittedAt;
    private Conversation? _conversation;
    private RequestSampler? _sampler;
    private StreamingTokenDecoder? _decoder;
    private int _promptQueued;
    private LLamaToken? _sampled;
    private long _startedAt;
    private long _firstTokenAt;

    public Sequence(PreparedRequest prepared, IReadOnlyList<int> endOfGenerationTokens, TimeProvider time,
        CancellationToken cancellation)
    {
        _prepared = prepared;
        _time = time;
        _submittedAt = time.GetTimestamp();
        Cancellation = cancellation;
        var request = prepared.Request;
        _mask = new LogitMask(request.MinNewTokens, request.Sampling.NoRepeatNgramSize, endOfGenerationTokens);
    }

    public CancellationToken Cancellation { get; }

    public ChannelReader<TokenPiece> Output => _output.Reader;

    public int GeneratedCount => _generated.Count;

    /// <summary>Prompt tokens not yet handed to the batch.</summary>
    public int PromptRemaining => _prepared.PromptTokens.Length - _promptQueued;

    /// <summary>The whole prompt is decoded and the last decode produced this sequence's logits.</summary>
    public bool ReadyToSample => PromptRemaining == 0 && _conversation is { RequiresSampling: true };

    public void Start(BatchedExecutor executor, int contextSize)
    {
        _startedAt = _time.GetTimestamp();
        _conversation = executor.Create();
        _sampler = new RequestSampler(_prepared.Request.Sampling, contextSize, _prepared.PromptTokens);
        _decoder = new StreamingTokenDecoder(Encoding.UTF8, executor.Model);
    }

    /// <summary>Queues the token sampled last step, so the next decode extends this sequence by it.</summary>
    public void QueueSampled()
    {
        if (_sampled is not { } token)
            return;
        _conversation!.Prompt(token);
        _sampled = null;
    }

    /// <summary>Queues up to <paramref name="budget"/> more prompt tokens (chunked prefill); returns how many.</summary>
    public int QueuePrompt(int budget)
    {
        var count = Math.Min(budget, PromptRemaining);
        if (count > 0)
        {
            _conversation!.Prompt(_prepared.PromptTokens.AsSpan(_promptQueued, count));
            _promptQueued += count;
        }
        return count;
    }

    /// <summary>
    /// Samples this step's token and streams its text; the token is queued by <see cref="QueueSampled"/>
    /// just before the next decode, so a sequence retired in between leaves nothing behind in the batch.
    /// Returns the summary once the sequence has finished, null while it goes on.
    /// </summary>
    public GenerationSummary? Step(SafeLlamaModelHandle.Vocabulary vocabulary, int contextSize)
    {
        var conversation = _conversation!;
        _mask.Apply(conversation.Sample(), CollectionsMarshal.AsSpan(_generated));
        // Sample() also feeds the token to the sampler chain (penalties); it must not be accepted again.
        var token = _sampler!.Sample(conversation.Executor.Context.NativeHandle, conversation.GetSampleIndex());
        if (_generated.Count == 0)
            _firstTokenAt = _time.GetTimestamp();

        if (token.IsEndOfGeneration(vocabulary))
            return Finish(FinishReason.Eos);

        _generated.Add((int)token);
        _decoder!.Add(token);
        _output.Writer.TryWrite(new TokenPiece(_decoder.Read(), (int)token));

        if (_generated.Count >= _prepared.Request.MaxNewTokens || conversation.TokenCount + 1 > contextSize)
            return Finish(FinishReason.Length);

        _sampled = token;
        return null;
    }

    /// <summary>Ends the generation where it is, as a normal finish: the client gets its text so far and a summary.</summary>
    public GenerationSummary Stop() => Finish(FinishReason.Stopped);

    public void Fail(Exception error) => _output.Writer.TryComplete(error);

    public void Dispose()
    {
        // Frees this sequence's KV cells and returns its sequence id to the executor at once.
        _conversation?.Dispose();
        _sampler?.Dispose();
        _output.Writer.TryComplete(new OperationCanceledException(Cancellation));
    }

    private GenerationSummary Finish(FinishReason reason)
    {
        var now = _time.GetTimestamp();
        var summary = new GenerationSummary(
            _prepared.PromptTokens.Length,
            _generated.Count,
            reason,
            _firstTokenAt == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_submittedAt, _firstTokenAt),
            _startedAt == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_startedAt, now));
        _output.Writer.TryWrite(new TokenPiece(string.Empty, null, summary));
        _output.Writer.TryComplete();
        return summary;
    }
}
