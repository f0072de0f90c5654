using Takeoff.Engine.Generation;
using Takeoff.Engine.Sampling;
using Takeoff.Engine.Scheduling;

namespace Takeoff.Tests.Engine.Scheduling;

/// <summary>
/// A model without llama.cpp, for driving the scheduler loop directly. Token 0 ends generation; token t in 1–26 is
/// the letter 'a' + t - 1. After a token the model predicts <see cref="Next"/> of it (by default the next letter,
/// round the alphabet); sampling is greedy. It keeps each sequence's KV cells as llama.cpp would and refuses a token
/// at any position but the next free one, so a scheduler that loses track of its cache fails loudly.
/// </summary>
internal sealed class ScriptedDecoder : IDecoder
{
    public const int EndOfText = 0;
    private const int Vocabulary = 27;

    private readonly List<(int Token, int Position, int Sequence, bool Logits)> _batch = [];
    private readonly List<float[]> _rows = [];
    private readonly Dictionary<int, List<int>> _cells = [];
    private int _failing;

    /// <summary>What the model predicts after a token.</summary>
    public Func<int, int> Next { get; init; } = token => token % 26 + 1;

    /// <summary>Each decode first waits this long: a slow model.</summary>
    public TimeSpan StepDelay { get; init; }

    public int BatchCapacity { get; init; } = 64;

    public int VocabularySize => Vocabulary;

    public int BatchTokens => _batch.Count;

    /// <summary>Decodes that ran (failed ones included).</summary>
    public int Decodes { get; private set; }

    /// <summary>
    /// The most runs of consecutive sequence ids that one decoded batch held, in batch order: over per-sequence KV,
    /// llama.cpp makes a pass through the model for each.
    /// </summary>
    public int MostRuns { get; private set; }

    /// <summary>Fresh contexts made after failed decodes.</summary>
    public int Resets { get; private set; }

    public bool Disposed { get; private set; }

    /// <summary>The next <paramref name="count"/> decodes fail, as llama_decode does when it cannot.</summary>
    public void FailDecodes(int count) => Interlocked.Exchange(ref _failing, count);

    public static int Letter(char c) => c - 'a' + 1;

    public static string Text(int token) => token == EndOfText ? "" : ((char)('a' + token - 1)).ToString();

    public void ClearBatch() => _batch.Clear();

    public int Add(int token, int position, int sequence, bool logits)
    {
        var cells = CellsOf(sequence);
        if (position != cells.Count)
            throw new InvalidOperationException($"Sequence {sequence} holds {cells.Count} cells; a token was added at {position}.");
        cells.Add(token);
        _batch.Add((token, position, sequence, logits));
        return _batch.Count - 1;
    }

    public string? Decode()
    {
        if (StepDelay > TimeSpan.Zero)
            Thread.Sleep(StepDelay);
        Decodes++;
        MostRuns = Math.Max(MostRuns, Runs());
        if (Interlocked.Decrement(ref _failing) >= 0)
            return "DecodeFailed (scripted)";
        Interlocked.Exchange(ref _failing, 0);
        while (_rows.Count < _batch.Count)
            _rows.Add(new float[Vocabulary]);
        for (var row = 0; row < _batch.Count; row++)
        {
            Array.Clear(_rows[row]);
            if (_batch[row].Logits)
                _rows[row][Next(_batch[row].Token)] = 1f;
        }
        return null;
    }

    public Span<float> Logits(int row) => _rows[row];

    public void RemoveCells(int sequence, int from)
    {
        var cells = CellsOf(sequence);
        if (from < cells.Count)
            cells.RemoveRange(from, cells.Count - from);
    }

    public void Reset()
    {
        Resets++;
        _cells.Clear();
    }

    public bool IsEndOfGeneration(int token) => token == EndOfText;

    public IChoiceSampler Sampler(SamplingSettings settings, int penaltyWindow, int[] prompt, string? grammar) => new Greedy();

    public IChoiceSampler? ToolCallSampler(SamplingSettings settings, int penaltyWindow, int[] history, string grammar, string opened) => null;

    public ITokenText Text() => new Letters();

    public GeneratedToken Describe(int token, ReadOnlySpan<float> logits, int alternatives) => new(token);

    public void Dispose() => Disposed = true;

    private int Runs()
    {
        var (runs, last) = (0, int.MinValue);
        foreach (var (_, _, sequence, _) in _batch)
        {
            if (sequence != last && sequence != last + 1)
                runs++;
            last = sequence;
        }
        return runs;
    }

    private List<int> CellsOf(int sequence) => _cells.TryGetValue(sequence, out var cells) ? cells : _cells[sequence] = [];

    private sealed class Greedy : IChoiceSampler
    {
        public bool Constrained => false;

        public TimeSpan GrammarTime => TimeSpan.Zero;

        public int Sampled { get; private set; }

        public int? Sample(ReadOnlySpan<float> logits, ReadOnlySpan<float> unconstrained)
        {
            Sampled++;
            var best = 0;
            for (var i = 1; i < logits.Length; i++)
            {
                if (logits[i] > logits[best])
                    best = i;
            }
            return best;
        }

        public void Dispose()
        {
        }
    }

    private sealed class Letters : ITokenText
    {
        public string Add(int token) => ScriptedDecoder.Text(token);
    }
}
