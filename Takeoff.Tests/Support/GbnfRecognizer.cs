using Takeoff.Engine.Sampling.Constraints;

namespace Takeoff.Tests.Support;

/// <summary>
/// An Earley recognizer over Unicode code points for a parsed <see cref="GbnfGrammar"/>: checks converters without a
/// model, and real model outputs (whole, or cut off by the token limit) against the grammar that constrained them.
/// Only alternatives that can complete are ever predicted, so a live chart means some completion exists.
/// </summary>
internal sealed class GbnfRecognizer
{
    private readonly GbnfGrammar _grammar;
    private readonly bool[] _nullable;
    private readonly bool[][] _completable;

    public GbnfRecognizer(GbnfGrammar grammar)
    {
        _grammar = grammar;
        _nullable = GbnfChecks.Fixpoint(grammar.Rules, charactersSatisfy: false);
        var productive = GbnfChecks.Fixpoint(grammar.Rules, charactersSatisfy: true);
        _completable = grammar.Rules
            .Select(rule => rule.Alternatives
                .Select(elements => elements.All(e => e is not GbnfRuleRef reference || productive[reference.Rule]))
                .ToArray())
            .ToArray();
    }

    public static GbnfRecognizer For(string gbnf) => new(GbnfGrammar.Parse(gbnf));

    /// <summary>The whole of <paramref name="text"/> is in the grammar's language.</summary>
    public bool Accepts(string text)
    {
        var (sets, consumed, codePoints) = Run(text);
        if (consumed < codePoints.Length)
            return false;
        var last = sets[^1];
        return last.Items.Any(item => item.Rule == _grammar.Root && item.Origin == 0 && IsComplete(item));
    }

    /// <summary><paramref name="text"/> can be completed into a string of the language (itself included).</summary>
    public bool IsPrefix(string text)
    {
        var (_, consumed, codePoints) = Run(text);
        return consumed == codePoints.Length;
    }

    /// <summary>How many code points of <paramref name="text"/> are read before no completion remains.</summary>
    public int ViablePrefixLength(string text) => Run(text).Consumed;

    private bool IsComplete(Item item) => item.Dot == _grammar.Rules[item.Rule].Alternatives[item.Alternative].Count;

    private (List<ChartSet> Sets, int Consumed, int[] CodePoints) Run(string text)
    {
        var codePoints = text.EnumerateRunes().Select(r => r.Value).ToArray();
        var sets = new List<ChartSet> { new() };
        Predict(sets[0], _grammar.Root, 0);
        Close(sets, 0);
        var consumed = 0;
        foreach (var c in codePoints)
        {
            var next = new ChartSet();
            foreach (var item in sets[^1].Items)
            {
                var elements = _grammar.Rules[item.Rule].Alternatives[item.Alternative];
                if (item.Dot < elements.Count && elements[item.Dot] is GbnfCharClass chars && chars.Matches(c))
                    next.Add(item with { Dot = item.Dot + 1 });
            }
            if (next.Items.Count == 0)
                break;
            sets.Add(next);
            Close(sets, sets.Count - 1);
            consumed++;
        }
        return (sets, consumed, codePoints);
    }

    private void Predict(ChartSet set, int rule, int origin)
    {
        for (var a = 0; a < _grammar.Rules[rule].Alternatives.Count; a++)
        {
            if (_completable[rule][a])
                set.Add(new Item(rule, a, 0, origin));
        }
    }

    private void Close(List<ChartSet> sets, int k)
    {
        var set = sets[k];
        for (var i = 0; i < set.Items.Count; i++)
        {
            var item = set.Items[i];
            var elements = _grammar.Rules[item.Rule].Alternatives[item.Alternative];
            if (item.Dot == elements.Count)
            {
                // A rule completed where it started is nullable; the prediction step below already advanced its parents.
                if (item.Origin == k)
                    continue;
                foreach (var parent in sets[item.Origin].WaitingFor(item.Rule))
                    set.Add(parent with { Dot = parent.Dot + 1 });
            }
            else if (elements[item.Dot] is GbnfRuleRef reference)
            {
                set.Wait(reference.Rule, item);
                if (set.Predicted.Add(reference.Rule))
                    Predict(set, reference.Rule, k);
                if (_nullable[reference.Rule])
                    set.Add(item with { Dot = item.Dot + 1 });
            }
        }
    }

    private readonly record struct Item(int Rule, int Alternative, int Dot, int Origin);

    private sealed class ChartSet
    {
        private readonly HashSet<Item> _seen = [];
        private readonly Dictionary<int, List<Item>> _waiting = [];

        public List<Item> Items { get; } = [];

        public HashSet<int> Predicted { get; } = [];

        public void Add(Item item)
        {
            if (_seen.Add(item))
                Items.Add(item);
        }

        public void Wait(int rule, Item item)
        {
            if (!_waiting.TryGetValue(rule, out var items))
                _waiting[rule] = items = [];
            items.Add(item);
        }

        public List<Item> WaitingFor(int rule) => _waiting.TryGetValue(rule, out var items) ? items : [];
    }
}
