namespace Takeoff.Engine.Generation;

/// <summary>
/// The text side of one choice: each token's decoded text goes through the stop-sequence matcher, and a token is
/// released with the text that makes it visible, so that held-back text and its tokens come out together.
/// </summary>
/// <param name="choice">Which choice of its request this is, counted prompt by prompt.</param>
/// <param name="prompt">The index of the prompt it continues.</param>
internal sealed class ChoiceText(int choice, int prompt, IReadOnlyList<string> stopSequences)
{
    private readonly StopSequenceMatcher _stops = new(stopSequences);
    private readonly Queue<(GeneratedToken Token, int Start, int End)> _unreleased = new();
    private int _received;
    private int _released;

    /// <summary>A stop sequence ended the text.</summary>
    public bool Stopped => _stops.Matched;

    /// <summary>Adds a token and its decoded text; returns what became certain.</summary>
    public GenerationChunk Add(GeneratedToken token, string text)
    {
        _unreleased.Enqueue((token, _received, _received + text.Length));
        _received += text.Length;
        var released = _stops.Push(text);
        _released += released.Length;
        // Once matched, a token counts if any of its text came before the stop sequence.
        return new GenerationChunk(choice, prompt, released, Stopped ? ReleaseWhere(t => t.Start < _released) : ReleaseWhere(t => t.End <= _released));
    }

    /// <summary>Everything still held: the generation ended, so a partial stop sequence is just text.</summary>
    public GenerationChunk Finish(GenerationSummary summary)
    {
        var rest = _stops.Flush();
        _released += rest.Length;
        return new GenerationChunk(choice, prompt, rest, Stopped ? [] : ReleaseWhere(_ => true), summary);
    }

    private List<GeneratedToken> ReleaseWhere(Func<(GeneratedToken Token, int Start, int End), bool> visible)
    {
        var tokens = new List<GeneratedToken>(1);
        while (_unreleased.TryPeek(out var next) && visible(next))
            tokens.Add(_unreleased.Dequeue().Token);
        if (Stopped)
            _unreleased.Clear();
        return tokens;
    }
}
