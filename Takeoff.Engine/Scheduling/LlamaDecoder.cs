using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Native;
using Takeoff.Engine.Sampling;
using Takeoff.Engine.Text;

namespace Takeoff.Engine.Scheduling;

/// <summary>
/// One llama.cpp context shared by a scheduler's slots, its batch, and the samplers of its choices. Thin on purpose:
/// each member is one native call or a cast, so the loop costs what it cost when it called llama.cpp itself.
/// </summary>
internal sealed class LlamaDecoder : IDecoder
{
    private readonly LLamaWeights _weights;
    private readonly ModelParams _parameters;
    private readonly ModelText _text;
    private readonly SafeLlamaModelHandle.Vocabulary _vocabulary;
    private readonly NativeBatch _batch;
    // The samplers' candidate array, one per loop: its choices sample one at a time.
    private readonly LLamaTokenData[] _candidates;
    private LLamaContext _context;

    public LlamaDecoder(LLamaWeights weights, ModelParams parameters, ModelText text)
    {
        _weights = weights;
        _parameters = parameters;
        _text = text;
        _vocabulary = weights.Vocab;
        _candidates = new LLamaTokenData[_vocabulary.Count];
        _context = CheckedContexts.Create(weights, parameters);
        _batch = new NativeBatch((int)_context.BatchSize);
    }

    public int BatchCapacity => _batch.Capacity;

    public int VocabularySize => _vocabulary.Count;

    public int BatchTokens => _batch.TokenCount;

    public void ClearBatch() => _batch.Clear();

    public int Add(int token, int position, int sequence, bool logits) => _batch.Add(token, position, sequence, logits);

    public string? Decode() => _batch.Decode(_context.NativeHandle) is var status && status == DecodeResult.Ok ? null : status.ToString();

    public Span<float> Logits(int row) => _context.NativeHandle.GetLogitsIth(row);

    public void RemoveCells(int sequence, int from) => _context.NativeHandle.MemorySequenceRemove((LLamaSeqId)sequence, from, -1);

    public void Reset()
    {
        _context.Dispose();
        _context = CheckedContexts.Create(_weights, _parameters);
    }

    public bool IsEndOfGeneration(int token) => ((LLamaToken)token).IsEndOfGeneration(_vocabulary);

    public IChoiceSampler Sampler(SamplingSettings settings, int penaltyWindow, int[] prompt, string? grammar)
    {
        var tokens = Array.ConvertAll(prompt, id => (LLamaToken)id);
        if (grammar is null)
            return new Free(new FreeSampler(settings, penaltyWindow, tokens, _candidates));
        return new Constrained(this, new ConstrainedSampler(settings, penaltyWindow, tokens,
            GrammarSamplers.Create(_vocabulary, grammar), _candidates));
    }

    public IChoiceSampler? ToolCallSampler(SamplingSettings settings, int penaltyWindow, int[] history, string grammar, string opened)
    {
        var sampler = new ConstrainedSampler(settings, penaltyWindow, Array.ConvertAll(history, id => (LLamaToken)id),
            GrammarSamplers.Create(_vocabulary, grammar), _candidates);
        if (sampler.Feed(_text.Tokenize(opened, addBos: false, parseSpecial: false)))
            return new Constrained(this, sampler);
        sampler.Dispose();
        return null;
    }

    public ITokenText Text() => new Detokenizer(new StreamingTokenDecoder(Encoding.UTF8, _weights.NativeHandle));

    public GeneratedToken Describe(int token, ReadOnlySpan<float> logits, int alternatives) =>
        TokenLogprobs.Describe(token, logits, alternatives, _text);

    public void Dispose()
    {
        _context.Dispose();
        _batch.Dispose();
    }

    private sealed class Free(FreeSampler sampler) : IChoiceSampler
    {
        public bool Constrained => false;

        public TimeSpan GrammarTime => TimeSpan.Zero;

        public int Sampled { get; private set; }

        public int? Sample(ReadOnlySpan<float> logits, ReadOnlySpan<float> unconstrained)
        {
            Sampled++;
            return (int)sampler.Sample(logits);
        }

        public void Dispose() => sampler.Dispose();
    }

    private sealed class Constrained(LlamaDecoder decoder, ConstrainedSampler sampler) : IChoiceSampler
    {
        bool IChoiceSampler.Constrained => true;

        public TimeSpan GrammarTime => sampler.GrammarTime;

        public int Sampled => sampler.Sampled;

        public int? Sample(ReadOnlySpan<float> logits, ReadOnlySpan<float> unconstrained) =>
            sampler.Sample(logits, unconstrained, decoder._vocabulary) is { } token ? (int)token : null;

        public void Dispose() => sampler.Dispose();
    }

    private sealed class Detokenizer(StreamingTokenDecoder decoder) : ITokenText
    {
        public string Add(int token)
        {
            decoder.Add((LLamaToken)token);
            return decoder.Read();
        }
    }
}
