using System.Text;
using System.Threading.Channels;
using LLama.Native;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Sampling.Constraints;
using Takeoff.Engine.Scheduling;
using Takeoff.Engine.Text;
using Takeoff.Engine.Text.Tools;

namespace Takeoff.Engine.Readers;

/// <summary>A model that generates: prompts are checked and tokenized here, then decoded by its continuous-batching scheduler.</summary>
internal sealed class CausalModel : LoadedModel
{
    /// <summary>
    /// Tokens tokenized beyond prompt_max_tokens when a long prompt is cut by bytes first: the cut may split what would
    /// have been one token, and those first tokens are dropped by the truncation anyway.
    /// </summary>
    private const int TruncationMargin = 64;

    private readonly Scheduler _scheduler;
    private readonly int[] _endOfGenerationTokens;
    private readonly CheckedGrammars _grammars;
    private readonly TimeProvider _time;

    /// <param name="scheduler">Made over this model's weights; owned from here on.</param>
    public CausalModel(LoadedWeights loaded, Scheduler scheduler) : base(loaded)
    {
        _scheduler = scheduler;
        _time = loaded.Time;
        _endOfGenerationTokens = EndOfGenerationTokens(loaded.Weights.Vocab);
        _grammars = new CheckedGrammars(loaded.Weights.Vocab);
    }

    public override int ActiveSequences => _scheduler.ActiveCount;

    public override int QueuedRequests => _scheduler.QueuedCount;

    public override int Pending => _scheduler.ActiveCount + _scheduler.QueuedCount;

    /// <summary>Every slot's full context window.</summary>
    public override int KvCells => Entry.ContextSize * Entry.MaxBatchSize;

    public override int KvCellsInUse => _scheduler.KvCellsInUse;

    /// <summary>
    /// Tokenizes and checks every prompt on the caller's thread, then queues all choices at once. Refusals (a prompt
    /// too long, too many choices, a full queue) are thrown here, before the caller has written anything.
    /// </summary>
    public ChannelReader<GenerationChunk> Generate(GenerationRequest request, CancellationToken cancellation) =>
        Submit(request, sequences => new StreamedOutput(sequences, cancellation)).Reader;

    /// <summary>As <see cref="Generate"/>, but the whole answer is handed over once, at the end.</summary>
    public Task<GenerationResult> Complete(GenerationRequest request, CancellationToken cancellation) =>
        Submit(request, sequences => new CollectedOutput(sequences, cancellation)).Result;

    private TOutput Submit<TOutput>(GenerationRequest request, Func<int, TOutput> outputFor) where TOutput : GenerationOutput => Use(() =>
    {
        if (request.LogitBias.Keys.Where(id => id < 0 || id >= Text.VocabularySize).Select(id => (int?)id).FirstOrDefault() is { } outside)
            throw EngineException.Invalid(EngineInput.LogitBias,
                $"Token id {outside} is outside the vocabulary of '{Entry.Name}' (0..{Text.VocabularySize - 1}).");
        var prompts = request.Prompts.Select(p => TokenizePrompt(p, request.PromptMaxTokens)).ToArray();
        CheckCapacity(request, prompts.Length);
        var (grammar, lazyCall) = request.Constraint is { } constraint ? (_grammars.For(constraint), null) : ToolCallGrammarOf(request);
        var output = outputFor(prompts.Length * request.Choices);
        var sequences = Enumerable.Range(0, prompts.Length * request.Choices)
            .Select(choice => new Sequence(request, choice, prompts[choice / request.Choices], grammar, output,
                _endOfGenerationTokens, _time, lazyCall is { } format ? new ToolCallTrigger(format, ((Prompt.Chat)request.Prompts[0]).Prefill) : null))
            .ToArray();
        try
        {
            _scheduler.Submit(sequences);
        }
        catch
        {
            foreach (var sequence in sequences)
                sequence.Dispose();
            throw;
        }
        return output;
    });

    /// <summary>
    /// The tool-call grammar, in the call syntax this model's template teaches, when the conversation offers tools:
    /// from the first token when a call is forced (tool_choice "required" or a named function); with "auto", from the
    /// moment the answer opens a call (<paramref name="LazyCall"/> names the format whose opening switches it on).
    /// </summary>
    private (string? Grammar, ToolCallFormat? LazyCall) ToolCallGrammarOf(GenerationRequest request)
    {
        if (request.Prompts is not [Prompt.Chat { Tools: { Tools.Count: > 0 } tools }] || tools.Choice == ToolChoice.None)
            return (null, null);
        var format = ChatTemplate.ToolFormat;
        string Grammar() => _grammars.For(new OutputConstraint.Grammar(ToolCallGrammar.ToGbnf(format, tools)));
        if (tools.Choice.IsForced)
            return (Grammar(), null);
        try
        {
            return (Grammar(), format);
        }
        catch (EngineException) when (!tools.Tools.Any(t => t.Strict))
        {
            // Tools whose calls no grammar can enforce together (or only at too high a cost) may still be called:
            // the answer stays free, and its calls are parsed as written. A strict tool is a promise, so it is refused.
            return (null, null);
        }
    }

    public override Task DrainAsync(TimeSpan grace) => _scheduler.DrainAsync(grace);

    private int[] TokenizePrompt(Prompt prompt, int? promptMaxTokens)
    {
        var (text, special) = Render(prompt);
        // Bounded before the tokenizer runs: megabytes of prompt cost seconds of it, on the caller's thread.
        if (promptMaxTokens is { } kept)
            text = PromptTruncation.TailBytes(text, Text.BytesHolding(kept + TruncationMargin));
        else if (Text.FewestTokens(Encoding.UTF8.GetByteCount(text)) is var fewest && fewest >= ContextSize)
            throw TooLong($"at least {fewest}");
        var tokens = PromptTruncation.KeepEnd(Text.Tokenize(text, addBos: true, special), promptMaxTokens, Text.BeginningOfSequence);
        if (tokens.Length >= ContextSize)
            throw TooLong($"{tokens.Length}");
        return Array.ConvertAll(tokens, token => (int)token);
    }

    private EngineException TooLong(string tokens) => new(EngineError.InvalidArgument,
        $"The prompt is {tokens} tokens but the context window of '{Entry.Name}' is {ContextSize}; " +
        "shorten it or truncate it to fewer tokens.", EngineInput.Prompt) { ContextOverflow = new ContextOverflow(ContextSize, tokens) };

    private void CheckCapacity(GenerationRequest request, int prompts)
    {
        if (request.Choices > Entry.MaxBatchSize)
            throw EngineException.Invalid(EngineInput.Choices,
                $"{request.Choices} choices were asked for, but '{Entry.Name}' decodes at most {Entry.MaxBatchSize} sequences together.");
        var sequences = prompts * request.Choices;
        if (sequences > Entry.MaxBatchSize + Entry.MaxQueue)
            throw EngineException.Invalid(request.Choices > 1 ? EngineInput.Choices : EngineInput.Prompt,
                $"{sequences} sequences (prompts × choices) were asked for, but '{Entry.Name}' runs at most " +
                $"{Entry.MaxBatchSize} and queues {Entry.MaxQueue}.");
    }

    private static int[] EndOfGenerationTokens(SafeLlamaModelHandle.Vocabulary vocabulary) =>
        Enumerable.Range(0, vocabulary.Count).Where(t => ((LLamaToken)t).IsEndOfGeneration(vocabulary)).ToArray();

    protected override async ValueTask DisposeNativeAsync()
    {
        await _scheduler.DisposeAsync();
        _grammars.Dispose();
    }
}
