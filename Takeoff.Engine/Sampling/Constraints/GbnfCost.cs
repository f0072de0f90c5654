using System.Globalization;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// What a grammar will cost llama.cpp per token, estimated before any native grammar exists, by running llama.cpp's
/// own algorithm (src/llama-grammar.cpp) on our parse of it. llama.cpp keeps every way the text so far can continue
/// as a separate parse stack: <c>llama_grammar_advance_stack</c> expands rule references through every alternative
/// (and through every nullable rule) until each stack has a character on top, deduplicating with a linear search,
/// and sampling tests every candidate token against every stack. So its cost per token grows with the number of
/// stacks, and the cost of one character with the number of expansions it takes to reach them. An ambiguous grammar
/// (<c>((a{0,16}){0,16}){0,16}</c>, a flat alternation of 40,000 words) holds thousands of stacks: seconds per token
/// on the one loop thread every client shares. This walks the grammar for a few dozen characters, always taking the
/// character that leaves the most stacks (a greedy worst case, not a proof), and refuses what exceeds the limits.
/// </summary>
internal static class GbnfCost
{
    /// <summary>
    /// Parse stacks a grammar may hold at once. Sampling tests the vocabulary against every stack, so a token costs
    /// about stacks × vocabulary: 2,000 stacks took 14-27 ms a token on stories260K's 512-token vocabulary
    /// (measured), and a 150,000-token vocabulary multiplies that. Every schema and regex of the test corpus holds
    /// at most 19, 2,000 optional properties 34, a 40,000-word enum 30.
    /// </summary>
    public const int MaxStacks = 1024;

    /// <summary>
    /// Stack expansions (llama_grammar_advance_stack's steps) one character may take; each also searches the ones
    /// before it, and sampling repeats them for every token that starts with the character. The corpus takes at
    /// most 25; <c>(((a{0,4}){0,4}){0,4})b</c> 2,065 (1.5 ms a token on stories260K); a 50-byte GBNF of 20 groups of
    /// four optional characters 7,920 (30 ms a token); <c>(((a{0,16}){0,16}){0,16})b</c> over 50,000 at its first
    /// character (4-8 s a token).
    /// </summary>
    public const int MaxExpansionsPerCharacter = 4_000;

    /// <summary>Characters walked; ambiguity that needs more to show is rare, and the per-token budget catches it.</summary>
    public const int Depth = 48;

    /// <summary>Candidate characters tried at each step (one per distinct character test on top of a stack).</summary>
    private const int Candidates = 24;

    /// <summary>Walk states kept per step.</summary>
    private const int Beam = 3;

    /// <summary>
    /// The analysis itself is bounded too: it must never cost what it protects against. Past this much work the walk
    /// stops where it is (every character so far was within the limits; the per-token budget covers the rest).
    /// </summary>
    private const long MaxTotalWork = 3_000_000;

    /// <summary>The estimate: the most stacks and expansions seen, after which text.</summary>
    internal sealed record Estimate(int Stacks, int Expansions, string After, long Work);

    /// <summary>Vocabulary entries the limits are stated for; above it they shrink in proportion.</summary>
    public const int ReferenceVocabulary = 32_000;

    /// <summary>
    /// The limits for a vocabulary of <paramref name="vocabularySize"/> tokens (0: unknown, the reference limits).
    /// Sampling passes every candidate token by every stack, so the same grammar costs about five times more on
    /// Qwen2's 151,936 tokens than on 32,000: there it may hold 215 stacks and take 842 expansions a character.
    /// </summary>
    public static (int Stacks, int Expansions) Limits(int vocabularySize)
    {
        if (vocabularySize <= ReferenceVocabulary)
            return (MaxStacks, MaxExpansionsPerCharacter);
        var scale = (double)ReferenceVocabulary / vocabularySize;
        return (Math.Max(64, (int)(MaxStacks * scale)), Math.Max(500, (int)(MaxExpansionsPerCharacter * scale)));
    }

    /// <summary>Throws a <see cref="ConstraintException"/> saying why when <paramref name="grammar"/> is too expensive for llama.cpp.</summary>
    /// <param name="vocabularySize">The model's vocabulary size, which the limits scale with; 0 when unknown.</param>
    public static Estimate Require(GbnfGrammar grammar, int vocabularySize = 0)
    {
        var estimate = Measure(grammar, out var refusal, vocabularySize);
        if (refusal is not null)
            throw new ConstraintException($"the constraint is too expensive for llama.cpp's grammar engine: {refusal}");
        return estimate;
    }

    /// <summary>The estimate, and a refusal reason when a limit was exceeded (the walk stops there).</summary>
    public static Estimate Measure(GbnfGrammar grammar, out string? refusal, int vocabularySize = 0)
    {
        var walker = new Walker(grammar, Limits(vocabularySize), vocabularySize);
        return walker.Run(out refusal);
    }

    /// <summary>A parse stack: a persistent list of positions (top first), compared by value as llama.cpp's vectors are.</summary>
    private sealed class Frame
    {
        public Frame(int position, Frame? below)
        {
            Position = position;
            Below = below;
            Hash = HashCode.Combine(position, below?.Hash ?? 17);
        }

        public int Position { get; }

        public Frame? Below { get; }

        public int Hash { get; }
    }

    private sealed class FrameComparer : IEqualityComparer<Frame?>
    {
        public static FrameComparer Instance { get; } = new();

        public bool Equals(Frame? x, Frame? y)
        {
            while (true)
            {
                if (ReferenceEquals(x, y))
                    return true;
                if (x is null || y is null || x.Hash != y.Hash || x.Position != y.Position)
                    return false;
                x = x.Below;
                y = y.Below;
            }
        }

        public int GetHashCode(Frame? frame) => frame?.Hash ?? 0;
    }

    private sealed class Walker
    {
        // Every element of every alternative gets a position, plus one end marker per alternative, as in llama.cpp's
        // flat rule arrays; a position's "next" is position + 1.
        private readonly List<GbnfElement?> _elements = [];
        private readonly int[][] _ruleStarts;
        private readonly int _root;
        private long _work;
        private string? _refusal;

        private readonly int _maxStacks;
        private readonly int _maxExpansions;
        private readonly string _limits;

        public Walker(GbnfGrammar grammar, (int Stacks, int Expansions) limits, int vocabularySize)
        {
            (_maxStacks, _maxExpansions) = limits;
            _limits = string.Create(CultureInfo.InvariantCulture, $"limits: {_maxStacks} stacks, {_maxExpansions} expansions per character")
                + (vocabularySize > ReferenceVocabulary
                    ? string.Create(CultureInfo.InvariantCulture, $" for this model's {vocabularySize}-token vocabulary ({MaxStacks} and {MaxExpansionsPerCharacter} up to {ReferenceVocabulary} tokens)")
                    : "");
            _ruleStarts = new int[grammar.Rules.Count][];
            for (var r = 0; r < grammar.Rules.Count; r++)
            {
                var alternatives = grammar.Rules[r].Alternatives;
                _ruleStarts[r] = new int[alternatives.Count];
                for (var a = 0; a < alternatives.Count; a++)
                {
                    _ruleStarts[r][a] = _elements.Count;
                    _elements.AddRange(alternatives[a]);
                    _elements.Add(null);
                }
            }
            _root = grammar.Root;
        }

        private bool IsEnd(int position) => _elements[position] is null;

        public Estimate Run(out string? refusal)
        {
            var worst = new Estimate(0, 0, "", 0);
            // llama_grammar_init: one stack per alternative of the root, each advanced to characters.
            var initial = new StackSet();
            var expansions = 0;
            foreach (var start in _ruleStarts[_root])
                expansions += Advance(IsEnd(start) ? null : new Frame(start, null), initial);
            worst = Worse(worst, initial.Count, expansions, "");
            var beam = new List<(StackSet Stacks, string Text)> { (initial, "") };
            for (var depth = 0; depth < Depth && _refusal is null && beam.Count > 0 && _work <= MaxTotalWork; depth++)
            {
                var next = new List<(StackSet Stacks, string Text)>();
                foreach (var (stacks, text) in beam)
                {
                    foreach (var c in CandidatesOf(stacks))
                    {
                        var (after, spent) = Accept(stacks, c);
                        worst = Worse(worst, after.Count, spent, text + char.ConvertFromUtf32(c));
                        if (_refusal is not null)
                            break;
                        if (after.Count > 0)
                            next.Add((after, text + char.ConvertFromUtf32(c)));
                    }
                    if (_refusal is not null)
                        break;
                }
                // The states with the most stacks first; identical stack sets are walked once.
                beam = next.OrderByDescending(s => s.Stacks.Count)
                    .DistinctBy(s => s.Stacks.Signature)
                    .Take(Beam)
                    .ToList();
            }
            refusal = _refusal;
            return worst with { Work = _work };
        }

        private Estimate Worse(Estimate worst, int stacks, int expansions, string after)
        {
            if (_refusal is null)
            {
                if (stacks > _maxStacks)
                    _refusal = string.Create(CultureInfo.InvariantCulture,
                        $"it is ambiguous: after {Describe(after)} llama.cpp would track over {_maxStacks} parse stacks ({stacks} counted), and every token costs a pass of the vocabulary over each; ") + _limits;
                else if (expansions > _maxExpansions)
                    _refusal = string.Create(CultureInfo.InvariantCulture,
                        $"it is ambiguous: {(after.Length == 0 ? "starting it" : after.Length == 1 ? $"its first character ('{after}')" : $"the character after {Describe(after[..^1])}")} takes llama.cpp over {_maxExpansions} rule expansions ({expansions} counted; nested repetitions of something that can be empty, such as (a{{0,16}}){{0,16}}, multiply); ") + _limits;
            }
            return stacks > worst.Stacks || (stacks == worst.Stacks && expansions > worst.Expansions)
                ? new Estimate(stacks, Math.Max(expansions, worst.Expansions), after, _work)
                : worst with { Expansions = Math.Max(expansions, worst.Expansions) };
        }

        private static string Describe(string text) => text.Length == 0
            ? "the start"
            : $"'{(text.Length > 24 ? text[..24] + "..." : text)}'";

        /// <summary>llama_grammar_advance_stack: expands <paramref name="stack"/> until every stack has a character on top.</summary>
        private int Advance(Frame? stack, StackSet into)
        {
            var expansions = 0;
            var todo = new Stack<Frame?>();
            var seen = new HashSet<Frame?>(FrameComparer.Instance);
            todo.Push(stack);
            while (todo.Count > 0)
            {
                var current = todo.Pop();
                if (!seen.Add(current))
                    continue;
                expansions++;
                if (++_work > MaxTotalWork || expansions > _maxExpansions)
                    return expansions;
                if (current is null || _elements[current.Position] is GbnfCharClass)
                {
                    into.Add(current);
                    continue;
                }
                var reference = (GbnfRuleRef)_elements[current.Position]!;
                foreach (var start in _ruleStarts[reference.Rule])
                {
                    var next = current.Below;
                    if (!IsEnd(current.Position + 1))
                        next = new Frame(current.Position + 1, next);
                    if (!IsEnd(start))
                        next = new Frame(start, next);
                    todo.Push(next);
                }
            }
            return expansions;
        }

        /// <summary>llama_grammar_accept: the stacks whose top matches <paramref name="c"/>, moved past it and advanced.</summary>
        private (StackSet Stacks, int Expansions) Accept(StackSet stacks, int c)
        {
            var after = new StackSet();
            var expansions = 0;
            foreach (var stack in stacks.Items)
            {
                _work++;
                if (stack is null || !((GbnfCharClass)_elements[stack.Position]!).Matches(c))
                    continue;
                var next = stack.Below;
                if (!IsEnd(stack.Position + 1))
                    next = new Frame(stack.Position + 1, next);
                expansions += Advance(next, after);
                if (_work > MaxTotalWork || expansions > _maxExpansions || after.Count > _maxStacks)
                    break;
            }
            return (after, expansions);
        }

        /// <summary>One character per distinct character test on top of a stack, printable ones first.</summary>
        private List<int> CandidatesOf(StackSet stacks)
        {
            var tests = new HashSet<GbnfCharClass>();
            var characters = new List<int>();
            foreach (var stack in stacks.Items)
            {
                if (stack is null || !tests.Add((GbnfCharClass)_elements[stack.Position]!))
                    continue;
                if (Representative((GbnfCharClass)_elements[stack.Position]!) is { } c && !characters.Contains(c))
                    characters.Add(c);
                if (characters.Count >= Candidates)
                    break;
            }
            return characters;
        }

        private static int? Representative(GbnfCharClass test)
        {
            if (!test.Negated)
            {
                // A printable member if there is one: what a model writes.
                foreach (var range in test.Set.Ranges)
                {
                    if (range.Last >= 0x20)
                        return Math.Max(range.First, 0x20);
                }
                return test.Set.Ranges.Count > 0 ? test.Set.Ranges[0].First : null;
            }
            foreach (var c in "a0 A.\"{[-")
            {
                if (test.Matches(c))
                    return c;
            }
            for (var c = 0x20; c < 0x3000; c++)
            {
                if (test.Matches(c))
                    return c;
            }
            return null;
        }
    }

    /// <summary>llama.cpp's list of stacks, without duplicates (its linear find, here a hash set).</summary>
    private sealed class StackSet
    {
        private readonly HashSet<Frame?> _set = new(FrameComparer.Instance);

        public List<Frame?> Items { get; } = [];

        public int Count => Items.Count;

        public int Signature => Items.Aggregate(Items.Count, (hash, frame) => hash ^ (frame?.Hash ?? 1));

        public void Add(Frame? stack)
        {
            if (_set.Add(stack))
                Items.Add(stack);
        }
    }
}
