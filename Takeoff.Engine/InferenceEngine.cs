using System.Threading.Channels;
using Takeoff.Engine.Embedding;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Hosting;
using Takeoff.Engine.Models;
using Takeoff.Engine.Readers;
using Takeoff.Engine.Text;
using Takeoff.Engine.Text.Tools;

namespace Takeoff.Engine;

/// <summary>
/// The engine's one front door: everything an API does (generate, embed, tokenize, format conversations, list and
/// manage readers) goes through here, in the engine's own terms. Refusals are <see cref="EngineException"/>s
/// naming the <see cref="EngineInput"/> at fault; each API names that input and shapes the error its own way.
/// </summary>
public sealed class InferenceEngine
{
    /// <summary>The meter the engine's metrics are published on (System.Diagnostics.Metrics).</summary>
    public const string MeterName = Diagnostics.EngineMetrics.MeterName;

    private readonly ReaderRegistry _registry;
    private readonly ReaderManager _readers;
    private readonly int _maxNewTokens;
    private readonly int _maxRequestTokens;
    private readonly int _maxEmbeddingInputs;

    internal InferenceEngine(ReaderRegistry registry, ReaderManager readers, EngineOptions options)
    {
        _registry = registry;
        _readers = readers;
        _maxNewTokens = options.MaxNewTokensLimit;
        _maxRequestTokens = options.MaxRequestTokens;
        _maxEmbeddingInputs = options.MaxEmbeddingInputs;
        ReaderSettings = new ReaderSettings(Path.GetFullPath(options.ModelsDir), options.ModelsFile,
            TimeSpan.FromSeconds(options.ReaderStopGraceSeconds));
    }

    /// <summary>
    /// Validates, routes and queues every choice at once: refusals throw here, before anything is streamed. The
    /// chunks of all choices then arrive interleaved, as they are sampled; cancelling frees their slots at the next step.
    /// </summary>
    public IAsyncEnumerable<GenerationChunk> Generate(GenerationRequest request, CancellationToken cancellation)
    {
        request = Checked(request);
        return Causal(request.Target).Generate(request, cancellation).ReadAllAsync(cancellation);
    }

    /// <summary>Generates every choice to its end and answers with them all, in choice order (refusals throw here too).</summary>
    public Task<GenerationResult> CompleteAsync(GenerationRequest request, CancellationToken cancellation)
    {
        request = Checked(request);
        return Causal(request.Target).Complete(request, cancellation);
    }

    /// <summary>
    /// Valid for any model, within the server's token limits: per choice, and over the whole request (n × max_tokens),
    /// so that one request cannot ask for hours of every slot. A request without a limit gets its share of both.
    /// </summary>
    private GenerationRequest Checked(GenerationRequest request)
    {
        request.Validate();
        if (request.MaxTokens > _maxNewTokens)
            throw EngineException.Invalid(EngineInput.MaxTokens,
                $"{request.MaxTokens} new tokens were asked for; this server allows at most {_maxNewTokens} per choice.");
        var sequences = request.Prompts.Count * request.Choices;
        var perChoice = request.MaxTokens ?? Math.Clamp(_maxRequestTokens / sequences, 1, _maxNewTokens);
        if ((long)perChoice * sequences > _maxRequestTokens)
            throw EngineException.Invalid(request.MaxTokens is null ? EngineInput.Choices : EngineInput.MaxTokens,
                $"{sequences} sequences (prompts × choices) of {perChoice} new tokens each were asked for; this server " +
                $"allows at most {_maxRequestTokens} new tokens per request.");
        return request with { MaxTokens = perChoice };
    }

    public Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, CancellationToken cancellation)
    {
        if (request.Inputs.Count == 0)
            throw EngineException.Invalid(EngineInput.Prompt, "At least one input to embed is needed.");
        if (request.Inputs.Count > _maxEmbeddingInputs)
            throw EngineException.Invalid(EngineInput.Prompt,
                $"{request.Inputs.Count} inputs were sent; this server embeds at most {_maxEmbeddingInputs} per request.");
        return Embedding(request.Target).EmbedAsync(request.Inputs, cancellation);
    }

    /// <summary>The tokens of <paramref name="prompt"/> as the reader would generate from it, without a beginning-of-sequence token.</summary>
    public Tokenization Tokenize(string readerId, Prompt prompt) => OnReader(readerId, model =>
    {
        var tokens = model.Tokenize(prompt, addBos: false);
        return new Tokenization(tokens.Select(t => (int)t).ToArray(), model.Text.Pieces(tokens));
    });

    public string Detokenize(string readerId, IReadOnlyList<int> ids, bool skipSpecialTokens) =>
        OnReader(readerId, model => model.Text.Detokenize(ids, skipSpecialTokens));

    /// <summary>Text of token pieces as <see cref="Tokenize"/> returns them.</summary>
    public string Detokenize(string readerId, IReadOnlyList<string> pieces, bool skipSpecialTokens) =>
        OnReader(readerId, model => model.Text.Detokenize(model.Text.Ids(pieces), skipSpecialTokens));

    /// <summary>Each conversation as one prompt string, formatted by the reader's chat template.</summary>
    public IReadOnlyList<string> ApplyChatTemplate(string readerId, IReadOnlyList<IReadOnlyList<ChatMessage>> conversations,
        bool addGenerationPrompt) =>
        OnReader(readerId, model => conversations.Select(c => model.ChatTemplate.Apply(c, addGenerationPrompt)).ToArray());

    /// <summary>
    /// A conversation (and its tools) as the prompt text a reader of <paramref name="target"/> generates from, without
    /// the beginning-of-sequence token (llama-server's /apply-template).
    /// </summary>
    public string ApplyChatTemplate(string target, IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, ChatTools? tools)
    {
        if (messages.Count == 0)
            throw EngineException.Invalid(EngineInput.Messages, "A conversation needs at least one message.");
        return _registry.Route(target, ModelType.Causal).Use(model => model.ChatTemplate.Apply(messages, addGenerationPrompt, tools));
    }

    /// <summary>Every consumer group, and every model name a reader serves: what a request can be routed by.</summary>
    public IReadOnlyList<RoutingTarget> Targets() => _registry.Targets();

    /// <summary>At least one reader serves, and none is still loading.</summary>
    public bool IsReady => _registry.IsReady;

    /// <summary>Every reader, in the order they were started.</summary>
    public IReadOnlyList<ReaderSnapshot> Readers() => _registry.Readers.Select(r => r.Snapshot()).ToArray();

    public ReaderSnapshot Reader(string readerId) => _registry.Find(readerId).Snapshot();

    /// <summary>Where readers come from (models directory and catalog) and the grace a removed one gets.</summary>
    public ReaderSettings ReaderSettings { get; }

    /// <summary>Starts a reader for a models.json entry or a .gguf file inside the models directory; it loads in the background.</summary>
    public ReaderSnapshot StartReader(string modelName, ReaderOverrides overrides) =>
        _readers.Start(modelName, overrides).Snapshot();

    /// <summary>
    /// Removes a reader: out of routing at once, its running requests get the grace period to finish, then its memory
    /// is freed. False for an unknown id.
    /// </summary>
    public Task<bool> StopReaderAsync(string readerId) => _readers.StopAsync(readerId);

    /// <summary>A causal reader of <paramref name="target"/>: the loader makes a reader's model of its entry's type, which routing matches.</summary>
    private CausalModel Causal(string target) => (CausalModel)_registry.Route(target, ModelType.Causal);

    private EmbeddingModel Embedding(string target) => (EmbeddingModel)_registry.Route(target, ModelType.Embedding);

    private T OnReader<T>(string readerId, Func<LoadedModel, T> work) => _registry.Find(readerId).RequireModel().Use(work);
}
