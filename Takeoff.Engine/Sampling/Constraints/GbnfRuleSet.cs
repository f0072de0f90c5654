using System.Globalization;
using System.Text;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// Rules a converter writes: unique names (GBNF allows <c>[a-zA-Z0-9-]</c>), names reserved before their body exists
/// (recursive references), and repetitions that stay within llama.cpp's limits however large the count.
/// </summary>
internal sealed class GbnfRuleSet
{
    /// <summary>Repetition counts written as-is; llama.cpp refuses 2000 and over.</summary>
    public const int InlineRepetitions = 1000;

    /// <summary>Largest count <see cref="Repeat"/> can express (blocks of blocks would go further, but no schema needs it).</summary>
    public const int MaxRepetitions = InlineRepetitions * InlineRepetitions;

    /// <summary>Counts up to which a parenthesized group is repeated as written.</summary>
    private const int GroupRepetitions = 100;

    private readonly List<string> _order = [];
    private readonly Dictionary<string, string?> _bodies = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reserved;
    private readonly Dictionary<string, string> _blocks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nextSuffix = new(StringComparer.Ordinal);

    /// <param name="reserved">Names only <see cref="Ensure"/> may take (shared primitives), so user-derived names never collide with them.</param>
    public GbnfRuleSet(IEnumerable<string>? reserved = null) => _reserved = new HashSet<string>(reserved ?? [], StringComparer.Ordinal);

    /// <summary>Allocates a unique name derived from <paramref name="hint"/>; define it later with <see cref="Define"/>.</summary>
    public string Reserve(string hint)
    {
        var name = Sanitize(hint);
        var unique = name;
        if (Taken(unique))
        {
            // Numbering resumes where the last clash of this name left off: trying every number from 2 again made
            // n rules with one hint (a trie's deep nodes, say) cost n² lookups.
            var i = _nextSuffix.GetValueOrDefault(name, 2);
            do
                unique = string.Create(CultureInfo.InvariantCulture, $"{name}-{i++}");
            while (Taken(unique));
            _nextSuffix[name] = i;
        }
        _bodies[unique] = null;
        _order.Add(unique);
        return unique;
    }

    private bool Taken(string name) => _bodies.ContainsKey(name) || _reserved.Contains(name);

    public void Define(string name, string body)
    {
        if (!_bodies.TryGetValue(name, out var existing) || existing is not null)
            throw new InvalidOperationException($"Rule '{name}' was not reserved, or is already defined.");
        _bodies[name] = body;
    }

    public string Add(string hint, string body)
    {
        var name = Reserve(hint);
        Define(name, body);
        return name;
    }

    /// <summary>Adds a shared rule under its exact (reserved) name once; later calls return the name.</summary>
    public string Ensure(string name, string body)
    {
        if (!_bodies.ContainsKey(name))
        {
            _bodies[name] = body;
            _order.Add(name);
        }
        return name;
    }

    public bool Contains(string name) => _bodies.ContainsKey(name);

    /// <summary>
    /// <paramref name="atom"/> (a rule name, literal, class or flat group) repeated min to max times (null: no maximum).
    /// Counts above <see cref="InlineRepetitions"/> go through a block rule of that many, so that no repetition
    /// reaches llama.cpp's limit.
    /// </summary>
    public string Repeat(string atom, int min, int? max, string? keyword, string hint = "repeat")
    {
        if (min < 0 || max < min)
            throw new ArgumentOutOfRangeException(nameof(max), "A repetition needs 0 <= min <= max.");
        if (min > MaxRepetitions || max > MaxRepetitions)
            throw new ConstraintException(
                string.Create(CultureInfo.InvariantCulture, $"a repetition count above {MaxRepetitions} is not supported"), keyword);

        // llama.cpp refuses a quantified group once the symbols it creates (names first seen inside it included, and
        // rules may be defined further down) times the count reach 2000. So a large count repeats a rule name, and a
        // repetition that creates many symbols becomes a rule of its own, leaving any group around it small.
        if (atom.StartsWith('(') && (max ?? min) > GroupRepetitions)
            atom = Add(hint, atom[1..^1].Trim());
        if ((max ?? min) <= InlineRepetitions)
        {
            var inline = Format(atom, min, max) is { Length: > 0 } text ? text : "\"\"";
            return max - min > GroupRepetitions ? Add($"{HintOf(atom, hint)}-repeat", inline) : inline;
        }

        var parts = new List<string>();
        var blocks = min / InlineRepetitions;
        var rest = min % InlineRepetitions;
        if (blocks > 0)
            parts.Add(Format(Block(atom, hint), blocks, blocks));
        if (max is null)
        {
            parts.Add(Format(atom, rest, null));
        }
        else if (rest + (max.Value - min) <= InlineRepetitions)
        {
            parts.Add(Format(atom, rest, rest + max.Value - min));
        }
        else
        {
            parts.Add(Format(atom, rest, rest));
            parts.Add(UpTo(atom, max.Value - min, hint));
        }
        return Add($"{HintOf(atom, hint)}-repeat", string.Join(" ", parts.Where(p => p.Length > 0)));
    }

    /// <summary>Zero to <paramref name="count"/> (over the inline limit): whole blocks, then what remains.</summary>
    private string UpTo(string atom, int count, string hint)
    {
        var blocks = count / InlineRepetitions;
        var rest = count % InlineRepetitions;
        var block = Block(atom, hint);
        var shorter = blocks > 1
            ? $"{Format(block, 0, blocks - 1)} {Format(atom, 0, InlineRepetitions - 1)}"
            : Format(atom, 0, InlineRepetitions - 1);
        var longest = rest > 0 ? $"{Format(block, blocks, blocks)} {Format(atom, 0, rest)}" : Format(block, blocks, blocks);
        return $"( {shorter} | {longest} )";
    }

    private string Block(string atom, string hint)
    {
        if (!_blocks.TryGetValue(atom, out var name))
        {
            name = Add(string.Create(CultureInfo.InvariantCulture, $"{HintOf(atom, hint)}-x{InlineRepetitions}"),
                Format(atom, InlineRepetitions, InlineRepetitions));
            _blocks[atom] = name;
        }
        return name;
    }

    private static string HintOf(string atom, string hint) => atom.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? atom : hint;

    private static string Format(string atom, int min, int? max) => (min, max) switch
    {
        (0, 0) => "",
        (1, 1) => atom,
        (0, 1) => atom + "?",
        (0, null) => atom + "*",
        (1, null) => atom + "+",
        (_, null) => string.Create(CultureInfo.InvariantCulture, $"{atom}{{{min},}}"),
        _ when min == max => string.Create(CultureInfo.InvariantCulture, $"{atom}{{{min}}}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{atom}{{{min},{max}}}"),
    };

    private static string Sanitize(string hint)
    {
        var builder = new StringBuilder(hint.Length);
        foreach (var c in hint)
        {
            var keep = char.IsAsciiLetterOrDigit(c) ? c : '-';
            if (keep != '-' || (builder.Length > 0 && builder[^1] != '-'))
                builder.Append(keep);
        }
        var name = builder.ToString().TrimEnd('-');
        return name.Length == 0 ? "rule" : name;
    }

    /// <summary>The grammar text: rules in the order they were first named, one per line.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var name in _order)
        {
            var body = _bodies[name] ?? throw new InvalidOperationException($"Rule '{name}' was reserved but never defined.");
            builder.Append(name).Append(" ::= ").Append(body).Append('\n');
        }
        return builder.ToString();
    }
}
