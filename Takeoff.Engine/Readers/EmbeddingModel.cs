using LLama.Native;
using Takeoff.Engine.Embedding;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Generation;

namespace Takeoff.Engine.Readers;

/// <summary>A model that embeds: inputs are checked and tokenized here, then embedded one at a time by its embedder.</summary>
internal sealed class EmbeddingModel : LoadedModel
{
    private readonly Embedder _embedder;
    private readonly TimeProvider _time;

    /// <param name="embedder">Made over this model's weights; owned from here on.</param>
    public EmbeddingModel(LoadedWeights loaded, Embedder embedder) : base(loaded)
    {
        _embedder = embedder;
        _time = loaded.Time;
    }

    public override int Pending => _embedder.Pending;

    /// <summary>One normalized vector per input, in input order, and how many tokens they held.</summary>
    public Task<EmbeddingResult> EmbedAsync(IReadOnlyList<EmbeddingInput> inputs, CancellationToken cancellation) => UseAsync(async () =>
    {
        var tokens = inputs.Select(TokenizeEmbeddingInput).ToArray();
        var vectors = await _embedder.EmbedAsync(tokens, cancellation);
        return new EmbeddingResult(vectors, tokens.Sum(t => t.Length));
    });

    public override Task DrainAsync(TimeSpan grace) => _embedder.DrainAsync(grace, _time);

    private LLamaToken[] TokenizeEmbeddingInput(EmbeddingInput input)
    {
        var tokens = input switch
        {
            EmbeddingInput.Text text => Text.Tokenize(text.Value, addBos: true, parseSpecial: true),
            EmbeddingInput.Tokens ids => CheckedTokens(ids.Ids),
            _ => throw new ArgumentOutOfRangeException(nameof(input)),
        };
        if (tokens.Length == 0)
            throw EngineException.Invalid(EngineInput.Prompt, "An input to embed is empty.");
        if (tokens.Length > _embedder.ContextSize)
            throw EngineException.Invalid(input is EmbeddingInput.Tokens ? EngineInput.Tokens : EngineInput.Prompt,
                $"An input is {tokens.Length} tokens but '{Entry.Name}' embeds at most {_embedder.ContextSize}.");
        return tokens;
    }

    private LLamaToken[] CheckedTokens(IReadOnlyList<int> ids)
    {
        Text.CheckIds(ids);
        return ids.Select(id => (LLamaToken)id).ToArray();
    }

    protected override ValueTask DisposeNativeAsync()
    {
        _embedder.Dispose();
        return ValueTask.CompletedTask;
    }
}
