using System.Runtime.InteropServices;
using System.Text;
using LLama;
using LLama.Batched;
using LLama.Native;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Sampling;
using Takeoff.Engine.Text;

namespace Takeoff.Engine.Scheduling;

/// <summary>
/// One choice's slot in the shared context: its conversation (KV cells), sampler, decoder and stop logic.
/// Touched only by the scheduler loop; what it produces goes to its generation's <see cref="GenerationOutput"/>.
/// </summary>
internal sealed class Sequence : IDisposable
{
    private readonly List<int> _generated = [];
    private readonly GenerationRequest _request;
    private readonly LLamaToken[] _prompt;
    private readonly SamplingSettings _sampling;
    private readonly GenerationOutput _output;
    private readonly ModelText _modelText;
    private readonly LogitMask _mask;
    private readonly ChoiceText _text;
    private readonly TimeProvider _time;
    private readonly long _submittedAt;
    private Conversation? _conversation;
    private RequestSampler? _sampler;
    private StreamingTokenDecoder? _decoder;
    private int _promptQueued;
    private LLamaToken? _sampled;
    private long _startedAt;
    private long _firstTokenAt;
    private bool _finished;

    /// <param name="choice">Which choice of <paramref name="request"/> this is; it continues prompt choice / Choices.</param>
    public Sequence(GenerationRequest request, int choice, LLamaToken[] prompt, GenerationOutput output, ModelText modelText,
        IReadOnlyList<int> endOfGenerationTokens, TimeProvider time)
    {
        _request = request;
        Choice = choice;
        _prompt = prompt;
        _output = output;
        _modelText = modelText;
        _time = time;
        _submittedAt = time.GetTimestamp();
        // With a seed, choice i of a prompt draws with seed + i: reproducible, yet the choices differ.
        _sampling = request.Sampling.Seed is { } seed
            ? request.Sampling with { Seed = unchecked(seed + (uint)(choice % request.Choices)) }
            : request.Sampling;
        _mask = new LogitMask(request.MinTokens, _sampling.NoRepeatNgramSize, endOfGenerationTokens);
        _text = new ChoiceText(request.StopSequences);
    }

    public int Choice { get; }

    /// <summary>Cancelled when the caller goes away or a sibling choice failed.</summary>
    public CancellationToken Cancellation => _output.Cancellation;

    public int GeneratedCount => _generated.Count;

    public int PromptTokens => _prompt.Length;

    public string? RequestId => _request.RequestId;

    /// <summary>Since the request arrived.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_submittedAt);

    /// <summary>Prompt tokens not yet handed to the batch.</summary>
    public int PromptRemaining => _prompt.Length - _promptQueued;

    /// <summary>The whole prompt is decoded and the last decode produced this sequence's logits.</summary>
    public bool ReadyToSample => PromptRemaining == 0 && _conversation is { RequiresSampling: true };

    public void Start(BatchedExecutor executor, int contextSize)
    {
        _startedAt = _time.GetTimestamp();
        _conversation = executor.Create();
        _sampler = new RequestSampler(_sampling, contextSize, _prompt);
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
            _conversation!.Prompt(_prompt.AsSpan(_promptQueued, count));
            _promptQueued += count;
        }
        return count;
    }

    /// <summary>
    /// Samples this step's token and hands on the text it makes certain; the token is queued by
    /// <see cref="QueueSampled"/> just before the next decode, so a sequence retired in between leaves nothing
    /// behind in the batch. Returns the summary once the choice has finished, null while it goes on.
    /// </summary>
    public GenerationSummary? Step(SafeLlamaModelHandle.Vocabulary vocabulary, int contextSize)
    {
        var conversation = _conversation!;
        var logits = conversation.Sample();
        _mask.Apply(logits, CollectionsMarshal.AsSpan(_generated));
        // Sample() also feeds the token to the sampler chain (penalties); it must not be accepted again.
        var token = _sampler!.Sample(conversation.Executor.Context.NativeHandle, conversation.GetSampleIndex());
        if (_generated.Count == 0)
            _firstTokenAt = _time.GetTimestamp();

        if (token.IsEndOfGeneration(vocabulary))
            return Finish(FinishReason.Eos);

        var id = (int)token;
        _generated.Add(id);
        _decoder!.Add(token);
        var generated = _request.Logprobs is { } alternatives
            ? TokenLogprobs.Describe(id, logits, alternatives, _modelText)
            : new GeneratedToken(id);
        var chunk = _text.Add(Choice, generated, _decoder.Read());
        if (chunk.Text.Length > 0 || chunk.Tokens.Count > 0)
            _output.Write(chunk);

        if (_text.Stopped)
            return Finish(FinishReason.Stop);
        if (_generated.Count >= _request.MaxTokens || conversation.TokenCount + 1 > contextSize)
            return Finish(FinishReason.Length);

        _sampled = token;
        return null;
    }

    /// <summary>Ends the choice where it is, as a normal finish: the caller gets its text so far and a summary.</summary>
    public GenerationSummary Stop() => Finish(FinishReason.Stopped);

    public void Fail(Exception error)
    {
        _finished = true;
        _output.Fail(error);
    }

    public void Dispose()
    {
        // Frees this sequence's KV cells and returns its sequence id to the executor at once.
        _conversation?.Dispose();
        _sampler?.Dispose();
        if (!_finished)
            _output.Abandon();
        _output.Retired();
    }

    private GenerationSummary Finish(FinishReason reason)
    {
        var now = _time.GetTimestamp();
        var summary = new GenerationSummary(
            _prompt.Length,
            _generated.Count,
            reason,
            _firstTokenAt == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_submittedAt, _firstTokenAt),
            _startedAt == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_startedAt, now),
            _firstTokenAt == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_firstTokenAt, now),
            _time.GetElapsedTime(_submittedAt, now));
        _output.Write(_text.Finish(Choice, summary));
        _finished = true;
        _output.Finished();
        return summary;
    }
}
