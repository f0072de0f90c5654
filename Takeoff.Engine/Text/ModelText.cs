using System.Text;
using System.Text.Unicode;
using LLama;
using LLama.Native;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Generation;

namespace Takeoff.Engine.Text;

/// <summary>
/// The text side of a model: tokens as ids and as pieces, and back to text. A piece is the token's text;
/// a lone byte of a multi-byte character, which is not text on its own, is written "&lt;0xE2&gt;" as in the
/// SentencePiece vocabulary, so every piece maps back to exactly one token.
/// </summary>
internal sealed class ModelText(LLamaWeights weights, string modelName)
{
    private readonly Lazy<Dictionary<string, int>> _idsByPiece = new(() => IndexPieces(weights));
    private readonly TokenText?[] _described = new TokenText?[weights.Vocab.Count];
    private readonly Lazy<int> _longestToken = new(() => LongestToken(weights));

    public int VocabularySize => weights.Vocab.Count;

    public LLamaToken? BeginningOfSequence => weights.Vocab.BOS;

    /// <summary>Tokens of <paramref name="text"/>; <paramref name="parseSpecial"/> turns "&lt;|im_start|&gt;" into its control token.</summary>
    public LLamaToken[] Tokenize(string text, bool addBos, bool parseSpecial) =>
        weights.Tokenize(text, addBos, parseSpecial, Encoding.UTF8);

    /// <summary>
    /// The fewest tokens <paramref name="utf8Bytes"/> of text can take: no token writes more bytes than the vocabulary's
    /// longest. Lets a prompt that cannot fit be refused before the tokenizer spends seconds on megabytes of it.
    /// </summary>
    public long FewestTokens(long utf8Bytes) => (utf8Bytes + _longestToken.Value - 1) / _longestToken.Value;

    /// <summary>How many trailing bytes of text always hold at least <paramref name="tokens"/> tokens.</summary>
    public long BytesHolding(int tokens) => (long)tokens * _longestToken.Value;

    public IReadOnlyList<string> Pieces(IEnumerable<LLamaToken> tokens) => tokens.Select(t => Describe((int)t).Piece).ToArray();

    /// <summary>A token's piece and UTF-8 bytes (cached: log-probabilities ask for the same tokens again and again).</summary>
    public TokenText Describe(int token) => _described[token] ??= Read(weights, token);

    /// <summary>The ids of <paramref name="pieces"/>; an unknown piece is refused, naming it.</summary>
    public int[] Ids(IReadOnlyList<string> pieces) => pieces.Select(piece => _idsByPiece.Value.TryGetValue(piece, out var id)
        ? id
        : throw EngineException.Invalid(EngineInput.Tokens,
            $"'{piece}' is not a token of '{modelName}'; send the pieces the tokenizer returned, or token ids.")).ToArray();

    /// <summary>Refuses an id outside the vocabulary, naming it.</summary>
    public void CheckIds(IReadOnlyList<int> ids)
    {
        if (ids.Where(id => id < 0 || id >= VocabularySize).Select(id => (int?)id).FirstOrDefault() is { } bad)
            throw EngineException.Invalid(EngineInput.Tokens,
                $"Token id {bad} is outside the vocabulary of '{modelName}' (0..{VocabularySize - 1}).");
    }

    /// <summary>
    /// Text of <paramref name="ids"/>. As llama.cpp's own detokenizer does, the space a SentencePiece vocabulary
    /// puts before the first word is removed, so that detokenize(tokenize(text)) is text.
    /// </summary>
    public string Detokenize(IReadOnlyList<int> ids, bool skipSpecialTokens)
    {
        CheckIds(ids);
        var decoder = new StreamingTokenDecoder(Encoding.UTF8, weights) { DecodeSpecialTokens = !skipSpecialTokens };
        foreach (var id in ids)
        {
            if (skipSpecialTokens && IsControl(id))
                continue;
            decoder.Add(id);
        }
        var text = decoder.Read();
        return weights.Vocab.Type == LLamaVocabType.SentencePiece && text.StartsWith(' ') ? text[1..] : text;
    }

    private bool IsControl(int id) =>
        weights.Vocab.BOS == id || weights.Vocab.EOS == id || ((LLamaToken)id).IsControl(weights.Vocab);

    private static TokenText Read(LLamaWeights weights, LLamaToken token)
    {
        Span<byte> buffer = stackalloc byte[256];
        var length = (int)weights.NativeHandle.TokenToSpan(token, buffer, 0, special: true);
        var bytes = buffer[..Math.Min(length, buffer.Length)].ToArray();
        var piece = Utf8.IsValid(bytes)
            ? Encoding.UTF8.GetString(bytes)
            : string.Concat(bytes.Select(b => $"<0x{b:X2}>"));
        return new TokenText(piece, bytes);
    }

    /// <summary>The longest token in UTF-8 bytes (at least 4: an unknown character becomes one token however long it is).</summary>
    private static int LongestToken(LLamaWeights weights)
    {
        Span<byte> buffer = stackalloc byte[256];
        var longest = 4;
        for (var id = 0; id < weights.Vocab.Count; id++)
            longest = Math.Max(longest, (int)weights.NativeHandle.TokenToSpan(id, buffer, 0, special: true));
        return longest;
    }

    private static Dictionary<string, int> IndexPieces(LLamaWeights weights)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < weights.Vocab.Count; id++)
            ids.TryAdd(Read(weights, id).Piece, id);
        return ids;
    }

    /// <summary>A token's text and bytes; a class, so that the cache's slots are written atomically.</summary>
    internal sealed record TokenText(string Piece, byte[] Bytes);
}
