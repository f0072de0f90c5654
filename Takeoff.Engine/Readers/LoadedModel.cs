using LLama;
using LLama.Native;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Models;
using Takeoff.Engine.Text;

namespace Takeoff.Engine.Readers;

/// <summary>
/// A model in memory, as a reader serves it: what both kinds share (the tokenizer, the chat template, what it
/// holds, the lease that keeps its memory alive while calls use it). A <see cref="CausalModel"/> generates, an
/// <see cref="EmbeddingModel"/> embeds; <see cref="ModelLoader"/> makes either.
/// </summary>
internal abstract class LoadedModel : IAsyncDisposable
{
    private readonly LLamaWeights _weights;
    private readonly ModelLease _lease;

    protected LoadedModel(LoadedWeights loaded)
    {
        Entry = loaded.Entry;
        Facts = loaded.Facts with { ChatTemplate = loaded.ChatTemplate.Origin };
        Device = loaded.Device;
        NativeLibrary = loaded.NativeLibrary;
        Text = loaded.Text;
        ChatTemplate = loaded.ChatTemplate;
        _weights = loaded.Weights;
        _lease = new ModelLease(loaded.Entry.Name, loaded.Time);
    }

    public ModelEntry Entry { get; }

    public ModelFacts Facts { get; }

    public ComputeDevice Device { get; }

    public string NativeLibrary { get; }

    public ModelText Text { get; }

    public ChatTemplate ChatTemplate { get; }

    /// <summary>Context window of one sequence (causal) or input (embedding).</summary>
    public int ContextSize => Entry.ContextSize;

    /// <summary>What routing balances on: requests running or waiting here.</summary>
    public abstract int Pending { get; }

    public virtual int ActiveSequences => 0;

    public virtual int QueuedRequests => 0;

    /// <summary>The KV cache's cells, one per token (0 for a model that keeps none).</summary>
    public virtual int KvCells => 0;

    /// <summary>KV cells held by running sequences.</summary>
    public virtual int KvCellsInUse => 0;

    /// <summary>
    /// Runs <paramref name="work"/> on the native model, or refuses (503) once the reader is being freed; see
    /// <see cref="ModelLease"/>.
    /// </summary>
    public T Use<T>(Func<LoadedModel, T> work) => _lease.Use(() => work(this));

    protected T Use<T>(Func<T> work) => _lease.Use(work);

    protected Task<T> UseAsync<T>(Func<Task<T>> work) => _lease.UseAsync(work);

    /// <summary>Stops taking requests; what is running gets <paramref name="grace"/> to finish before it is ended.</summary>
    public abstract Task DrainAsync(TimeSpan grace);

    /// <summary>
    /// The tokens of a prompt: text as it is, or a conversation formatted by the chat template (with the assistant's
    /// turn opened). A templated prompt carries the template's control tokens as text; they must parse as such.
    /// </summary>
    public LLamaToken[] Tokenize(Prompt prompt, bool addBos)
    {
        var (text, special) = Render(prompt);
        return Text.Tokenize(text, addBos, special);
    }

    protected (string Text, bool ParseSpecial) Render(Prompt prompt) => prompt switch
    {
        Prompt.Text text => (text.Value, false),
        Prompt.Chat chat => (ChatTemplate.Apply(chat.Messages, addGenerationPrompt: true, chat.Tools), true),
        _ => throw new ArgumentOutOfRangeException(nameof(prompt)),
    };

    /// <summary>Frees what the kind holds natively; the calls using it have ended.</summary>
    protected abstract ValueTask DisposeNativeAsync();

    public async ValueTask DisposeAsync()
    {
        await _lease.CloseAsync();
        await DisposeNativeAsync();
        _weights.Dispose();
    }
}
