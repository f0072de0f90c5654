using System.Globalization;
using System.Runtime.InteropServices;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Sampling;
using Takeoff.Engine.Text.Tools;

namespace Takeoff.Engine.Scheduling;

/// <summary>
/// One choice of a request, in the slot it was given: its prompt's progress, its sampler, decoder and stop logic.
/// Touched only by the scheduler loop; what it produces goes to its generation's <see cref="GenerationOutput"/>.
/// </summary>
internal sealed class Sequence : IDisposable
{
    private readonly List<int> _generated = [];
    private readonly GenerationRequest _request;
    private readonly int[] _prompt;
    // What the slot's KV cells must hold before sampling goes on: the prompt, and after a preemption the tokens
    // generated so far as well (all but the last, which waits to be decoded as usual).
    private int[] _context;
    private readonly SamplingSettings _sampling;
    private readonly GenerationOutput _output;
    private readonly string? _grammar;
    // tool_choice "auto": the grammar switches on when the answer opens a call (null: it applies from the start).
    private readonly ToolCallTrigger? _trigger;
    private readonly LogitMask _mask;
    private readonly ChoiceText _text;
    private readonly TimeProvider _time;
    private readonly long _submittedAt;
    private Slot? _slot;
    private IChoiceSampler? _sampler;
    // A constrained choice's logits as the model gave them, copied each step before the hard constraints mask them.
    private float[]? _unmasked;
    private ITokenText? _decoder;
    private int _promptQueued;
    private int _prefillPlanned;
    private int _reused;
    private int? _sampled;
    private int _logitsIndex = -1;
    private long _startedAt;
    private long _turnStartedAt;
    private long _firstTokenAt;
    private bool _finished;
    // Its last chunk is written; the output learns it is over only when the scheduler lets the sequence go (Dispose),
    // after its place is free: a client that sends its next request the moment this one ends is never refused for it.
    private bool _summarized;
    private GrammarBudget _grammarBudget = GrammarBudget.Default;

    /// <param name="choice">Which choice of <paramref name="request"/> this is; it continues prompt choice / Choices.</param>
    /// <param name="grammar">The request's constraint as a GBNF grammar llama.cpp has accepted; null for a free choice.</param>
    /// <param name="trigger">Set when <paramref name="grammar"/> is a tool call's, applying once the answer opens a call.</param>
    public Sequence(GenerationRequest request, int choice, int[] prompt, string? grammar, GenerationOutput output,
        IReadOnlyList<int> endOfGenerationTokens, TimeProvider time, ToolCallTrigger? trigger = null)
    {
        _trigger = trigger;
        _request = request;
        Choice = choice;
        Prompt = choice / request.Choices;
        _prompt = prompt;
        _grammar = grammar;
        _context = prompt;
        PromptIds = prompt;
        _output = output;
        _time = time;
        _submittedAt = time.GetTimestamp();
        // With a seed, choice i of a prompt draws with seed + i: reproducible, yet the choices differ.
        _sampling = request.Sampling.Seed is { } seed
            ? request.Sampling with { Seed = unchecked(seed + (uint)(choice % request.Choices)) }
            : request.Sampling;
        _mask = new LogitMask(request.MinTokens, _sampling.NoRepeatNgramSize, endOfGenerationTokens,
            request.LogitBias.Count > 0 ? request.LogitBias : null);
        _text = new ChoiceText(Choice, Prompt, request.StopSequences);
    }

    public int Choice { get; }

    /// <summary>The index of the prompt it continues.</summary>
    public int Prompt { get; }

    /// <summary>The tokens its slot must hold (the prompt, or more after a preemption), to compare with what the slots have cached.</summary>
    public int[] PromptIds { get; private set; }

    /// <summary>Whether a slot's cached prefix may be reused for this prompt.</summary>
    public bool CachePrompt => _request.CachePrompt;

    /// <summary>Cancelled when the caller goes away or a sibling choice failed.</summary>
    public CancellationToken Cancellation => _output.Cancellation;

    public int GeneratedCount => _generated.Count;

    public int PromptTokens => _prompt.Length;

    /// <summary>Prompt tokens found in the slot's cache when the sequence started: not evaluated again.</summary>
    public int CachedTokens => _reused;

    public string? RequestId => _request.RequestId;

    /// <summary>Since the request arrived.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_submittedAt);

    /// <summary>Prompt tokens (or, after a preemption, tokens to rebuild) not yet handed to a batch.</summary>
    public int PromptRemaining => _context.Length - _promptQueued;

    /// <summary>The sequence id of the slot it holds (valid once started).</summary>
    public int SlotId => _slot!.Id;

    /// <summary>
    /// Since its first token of this turn. The (re)fill of its cells does not count: a sequence that yielded as soon
    /// as its cells were rebuilt would spend every turn rebuilding them and never generate.
    /// </summary>
    public TimeSpan TurnElapsed => _turnStartedAt == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_turnStartedAt);

    /// <summary>Between two tokens: it can give its slot up and pick up later exactly where it was.</summary>
    public bool CanYield => _sampled is not null && PromptRemaining == 0 && _turnStartedAt != 0;

    /// <summary>The last decode produced this sequence's logits.</summary>
    public bool ReadyToSample => _logitsIndex >= 0;

    /// <summary>
    /// Takes <paramref name="slot"/>: keeps the first <paramref name="reused"/> cached tokens (all but the prompt's
    /// last at most: its logits start the answer), drops the rest of the slot's cells, and will prefill from there. A
    /// sequence that yielded its slot comes back here with its sampler, text and tokens as they were.
    /// </summary>
    /// <param name="grammarBudget">The loop time this choice's grammar may take (constrained choices only).</param>
    public void Start(Slot slot, int reused, IDecoder decoder, int contextSize, GrammarBudget? grammarBudget = null)
    {
        var resumed = _sampled is not null;
        _turnStartedAt = 0;
        var kept = Math.Min(reused, resumed ? _context.Length : _context.Length - 1);
        slot.Take(kept);
        _slot = slot;
        _promptQueued = kept;
        if (resumed)
            return;
        _grammarBudget = (grammarBudget ?? GrammarBudget.Default).ForVocabulary(decoder.VocabularySize);
        _startedAt = _time.GetTimestamp();
        _reused = kept;
        // Making the grammar is not counted against the per-token budget: it happens once, its cost follows the
        // grammar's size, which admission bounds, and on a busy machine it could eat a large grammar's whole burst.
        _sampler = decoder.Sampler(_sampling, contextSize, _prompt, _trigger is null ? _grammar : null);
        if (_sampler.Constrained)
            _unmasked = new float[decoder.VocabularySize];
        _decoder = decoder.Text();
        // A prefill that opened a call: its grammar applies from the first token.
        if (_trigger?.Add("") is { } call)
            StartToolCallGrammar(call, decoder, contextSize);
    }

    /// <summary>
    /// Gives the slot up between two tokens so that a waiting request can start (preemption by recompute, as vLLM
    /// does): its cells stay cached in the slot, and whatever the next owner overwrites is rebuilt when this resumes.
    /// </summary>
    public void Yield()
    {
        _context = [.. _prompt, .. _generated.Take(_generated.Count - 1)];
        PromptIds = _context;
        ReleaseSlot();
    }

    /// <summary>Adds the token sampled last step to the batch, so the next decode extends this sequence by it.</summary>
    public void QueueSampled()
    {
        if (_sampled is not { } token)
            return;
        _logitsIndex = _slot!.Append(token, logits: true);
        _sampled = null;
    }

    /// <summary>Its prompt is all in the cells and it has the token it sampled last to decode: one token this step.</summary>
    public bool HasSampledToken => PromptRemaining == 0 && _sampled is not null;

    /// <summary>Sets aside up to <paramref name="budget"/> more prompt tokens for this step (chunked prefill); returns how many.</summary>
    public int PlanPrefill(int budget) => _prefillPlanned = Math.Min(budget, PromptRemaining);

    /// <summary>Adds the prompt tokens set aside for this step to the batch.</summary>
    public void QueuePlannedPrompt()
    {
        for (var i = 0; i < _prefillPlanned; i++, _promptQueued++)
        {
            // The prompt's last token starts the answer; a resumed sequence has its next token already.
            var last = _promptQueued == _context.Length - 1 && _sampled is null;
            var index = _slot!.Append(_context[_promptQueued], last);
            if (last)
                _logitsIndex = index;
        }
        _prefillPlanned = 0;
    }

    /// <summary>
    /// Samples this step's token from the logits the decode left at this sequence's batch index, and hands on the
    /// text it makes certain. Returns the summary once the choice has finished, null while it goes on.
    /// </summary>
    public GenerationSummary? Step(IDecoder decoder, int contextSize)
    {
        var index = _logitsIndex;
        _logitsIndex = -1;
        var logits = decoder.Logits(index);
        // A constrained choice keeps the logits as the model gave them: where the hard constraints leave the grammar
        // no token, the grammar wins.
        if (_unmasked is not null)
            logits.CopyTo(_unmasked);
        _mask.Apply(logits, CollectionsMarshal.AsSpan(_generated));
        // Sample() also feeds the token to the sampler chain (penalties); it must not be accepted again.
        var token = _sampler!.Sample(logits, _unmasked) ?? throw Unreachable();
        if (_generated.Count == 0)
            _firstTokenAt = _time.GetTimestamp();
        if (_turnStartedAt == 0)
            _turnStartedAt = _time.GetTimestamp();

        if (decoder.IsEndOfGeneration(token))
            return Finish(FinishReason.Eos);
        // The grammar work is done by now: a choice that took more of the shared loop than its budget ends here
        // (one that just completed keeps its answer).
        if (_sampler.Constrained && _grammarBudget.Exceeded(_sampler.GrammarTime, _sampler.Sampled))
            throw OverBudget(_sampler);

        _generated.Add(token);
        var piece = _decoder!.Add(token);
        var generated = _request.Logprobs is { } alternatives
            ? decoder.Describe(token, logits, alternatives)
            : new GeneratedToken(token);
        if (_trigger?.Add(piece) is { } call)
            StartToolCallGrammar(call, decoder, contextSize);
        var chunk = _text.Add(generated, piece);
        if (chunk.Text.Length > 0 || chunk.Tokens.Count > 0)
            _output.Write(chunk);

        if (_text.Stopped)
            return Finish(FinishReason.Stop);
        if (_generated.Count >= _request.MaxTokens || _slot!.Cached.Count + 1 > contextSize)
            return Finish(FinishReason.Length);

        _sampled = token;
        return null;
    }

    /// <summary>
    /// The answer opened a tool call: from here on its grammar constrains the answer, fed first with the call's text so
    /// far. Text the grammar refuses (a call that went wrong before the grammar could step in) leaves the answer free:
    /// it ends as text, not as a call.
    /// </summary>
    private void StartToolCallGrammar(string call, IDecoder decoder, int contextSize)
    {
        if (decoder.ToolCallSampler(_sampling, contextSize, [.. _prompt, .. _generated], _grammar!, call) is not { } constrained)
            return;
        _sampler!.Dispose();
        _sampler = constrained;
        _unmasked = new float[decoder.VocabularySize];
    }

    /// <summary>The constraint needs a character that no token of this model can write (the model's vocabulary lacks it).</summary>
    private EngineException Unreachable() => EngineException.Invalid(
        ConstraintInput,
        $"After {_generated.Count} tokens the constraint needs text that no token of this model's vocabulary can write " +
        "(a character it has no token for, or only as a control token).");

    /// <summary>The grammar took more of the shared loop than its budget: ended, so that the other requests are not held up.</summary>
    private EngineException OverBudget(IChoiceSampler constrained) => EngineException.Invalid(
        ConstraintInput,
        string.Create(CultureInfo.InvariantCulture,
            $"The constraint is too expensive: its grammar took {constrained.GrammarTime.TotalMilliseconds:0} ms of llama.cpp's time over {constrained.Sampled} tokens, over the budget of {_grammarBudget.PerToken.TotalMilliseconds:0.###} ms a token plus {_grammarBudget.Burst.TotalMilliseconds:0.###} ms") +
        "; the request was ended so that other requests are not held up. Simplify the grammar (fewer ambiguous or nested optional parts).");

    private EngineInput ConstraintInput => _request.Constraint switch
    {
        OutputConstraint.Regex => EngineInput.Regex,
        OutputConstraint.Grammar => EngineInput.Grammar,
        null => EngineInput.Tools,
        _ => EngineInput.JsonSchema,
    };

    /// <summary>Ends the choice where it is, as a normal finish: the caller gets its text so far and a summary.</summary>
    public GenerationSummary Stop() => Finish(FinishReason.Stopped);

    public void Fail(Exception error)
    {
        _finished = true;
        _output.Fail(error);
    }

    /// <summary>Gives the slot back with its cells cached for the next prompt that starts the same way, then tells the output.</summary>
    public void Dispose()
    {
        ReleaseSlot();
        _sampler?.Dispose();
        if (_summarized)
            _output.Finished();
        else if (!_finished)
            _output.Abandon();
        _output.Retired();
    }

    private void ReleaseSlot()
    {
        if (_slot is not { } slot)
            return;
        slot.Release(_time.GetTimestamp());
        _slot = null;
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
            _time.GetElapsedTime(_submittedAt, now))
        {
            CachedTokens = _reused,
        };
        _output.Write(_text.Finish(summary));
        _finished = true;
        _summarized = true;
        return summary;
    }
}
