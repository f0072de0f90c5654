namespace Takeoff.Engine.Text.Tools;

/// <summary>
/// Splits one choice's answer, as it streams, into reasoning (a leading <c>&lt;think&gt;…&lt;/think&gt;</c> block, or
/// everything up to <c>&lt;/think&gt;</c> when the prompt opened the block), content, and tool calls. Content streams
/// as it comes, except text that may be the start of a marker (held until the next piece decides it); from the first
/// call marker on, calls stream as they are written (<see cref="ToolCallReader"/>), and at the end the text is parsed
/// into calls, which decides what they were (a call in a shape the stream does not read is sent whole then).
/// </summary>
public sealed class AnswerSplitter
{
    private const string ThinkOpen = "<think>";
    private const string ThinkClose = "</think>";

    private readonly IReadOnlyCollection<string>? _toolNames;
    private string _pending = "";
    private bool _reasoning;
    private bool _decided;
    private bool _contentStarted;
    private string? _calls;
    private ToolCallReader? _stream;
    // The pieces of calls the prefill wrote (an opened call's id and name, say): sent with the answer's first piece.
    private IReadOnlyList<ToolCallPiece> _prefillCalls = [];

    /// <param name="toolNames">The tools the answer may call; null when none were offered (no call parsing).</param>
    /// <param name="startsInReasoning">The prompt ended by opening a think block.</param>
    /// <param name="prefill">
    /// The assistant's text the answer continues (a last assistant message): not part of the answer, but a call it
    /// opened is completed by the answer.
    /// </param>
    public AnswerSplitter(IReadOnlyCollection<string>? toolNames, bool startsInReasoning, string prefill = "")
    {
        _toolNames = toolNames;
        _reasoning = startsInReasoning;
        _decided = startsInReasoning;
        if (toolNames is not null && prefill.Length > 0)
            _prefillCalls = Add(prefill).Calls;
    }

    /// <summary>
    /// Splits a whole answer at once. A "&lt;/think&gt;" without an opening tag means the prompt opened the block
    /// (DeepSeek R1's template does), so what comes before it is reasoning.
    /// </summary>
    public static (string? Reasoning, string? Content, IReadOnlyList<ChatToolCall> Calls) Split(string text,
        IReadOnlyCollection<string>? toolNames, bool startsInReasoning = false, string prefill = "")
    {
        startsInReasoning |= text.Contains(ThinkClose, StringComparison.Ordinal) && !text.Contains(ThinkOpen, StringComparison.Ordinal);
        var splitter = new AnswerSplitter(toolNames, startsInReasoning, prefill);
        var (reasoning, content, _) = splitter.Add(text);
        var (lastReasoning, lastContent, calls, _) = splitter.Finish();
        reasoning += lastReasoning;
        content += lastContent;
        return (reasoning.Length == 0 ? null : reasoning, content.Length == 0 ? null : content, calls);
    }

    /// <summary>What a new piece of the answer makes certain: reasoning, content and pieces of calls to send now.</summary>
    public (string Reasoning, string Content, IReadOnlyList<ToolCallPiece> Calls) Add(string piece)
    {
        if (_calls is not null)
        {
            _calls += piece;
            return ("", "", WithPrefillCalls(_stream!.Read(_calls)));
        }
        var (reasoning, content) = AddText(piece);
        return (reasoning, content, WithPrefillCalls(_calls is null ? [] : _stream!.Read(_calls)));
    }

    private IReadOnlyList<ToolCallPiece> WithPrefillCalls(IReadOnlyList<ToolCallPiece> calls)
    {
        if (_prefillCalls.Count == 0)
            return calls;
        var all = _prefillCalls.Concat(calls).ToList();
        _prefillCalls = [];
        return all;
    }

    private (string Reasoning, string Content) AddText(string piece)
    {
        _pending += piece;
        var reasoning = "";
        var content = "";
        while (true)
        {
            if (!_decided)
            {
                var trimmed = _pending.TrimStart();
                if (trimmed.Length == 0 || ThinkOpen.StartsWith(trimmed, StringComparison.Ordinal) && trimmed.Length < ThinkOpen.Length)
                    return (reasoning, content);
                _decided = true;
                if (trimmed.StartsWith(ThinkOpen, StringComparison.Ordinal))
                {
                    _reasoning = true;
                    _pending = trimmed[ThinkOpen.Length..];
                }
                continue;
            }
            if (_reasoning)
            {
                var close = _pending.IndexOf(ThinkClose, StringComparison.Ordinal);
                if (close < 0)
                {
                    var keep = PartialSuffix(_pending, [ThinkClose]);
                    reasoning += _pending[..^keep];
                    _pending = _pending[^keep..];
                    return (reasoning, content);
                }
                reasoning += _pending[..close];
                _pending = _pending[(close + ThinkClose.Length)..].TrimStart();
                _reasoning = false;
                continue;
            }
            if (_toolNames is null)
            {
                content += _pending;
                _contentStarted |= _pending.Length > 0;
                _pending = "";
                return (reasoning, content);
            }
            // Leading whitespace waits: an answer that is a bare JSON call starts with '{'.
            if (!_contentStarted && _pending.TrimStart().Length == 0)
                return (reasoning, content);
            // A bare JSON call counts only at the very start of the answer; the markers anywhere.
            var start = _contentStarted ? IndexOfTrigger(_pending) : ToolCallParser.CallStart(_pending);
            // Whitespace before a call that opens the answer is no content.
            if (start > 0 && !_contentStarted && _pending[..start].Trim().Length == 0)
                start = 0;
            if (start >= 0)
            {
                content += _pending[..start];
                _calls = _pending[start..];
                _stream = new ToolCallReader(_toolNames);
                _pending = "";
                return (reasoning, content);
            }
            var held = PartialSuffix(_pending, ToolCallParser.Triggers);
            content += _pending[..^held];
            _contentStarted |= _pending.Length > held;
            _pending = _pending[^held..];
            return (reasoning, content);
        }
    }

    /// <summary>
    /// At the end: what was held back, the calls when the held text parses as calls, and the pieces of them a stream
    /// has not sent yet. Calls already streamed keep their ids and arguments; once a call was streamed, text that
    /// turns out not to parse (an answer cut off mid-call) is not sent again as content.
    /// </summary>
    public (string Reasoning, string Content, IReadOnlyList<ChatToolCall> Calls, IReadOnlyList<ToolCallPiece> Deltas) Finish()
    {
        var text = _pending;
        _pending = "";
        if (_reasoning)
            return (text, "", [], []);
        if (_calls is null)
            return ("", text, [], []);
        var deltas = WithPrefillCalls(_stream!.Read(_calls)).ToList();
        var streamed = _stream.Announced;
        var (content, parsed) = ToolCallParser.Parse(_calls, _toolNames!);
        _calls = null;
        // The text as a whole is no list of calls (the token limit cut the last one off): the calls the stream saw
        // completed still stand, so that a whole answer keeps what the streamed one sent.
        if (parsed.Count == 0)
            return ("", streamed.Count > 0 ? "" : content ?? "", streamed.Take(_stream.LastComplete ? streamed.Count : streamed.Count - 1).ToList(), deltas);

        var calls = new List<ChatToolCall>();
        for (var i = 0; i < parsed.Count; i++)
        {
            if (i < streamed.Count && (i < streamed.Count - 1 || _stream.LastComplete) && Same(streamed[i], parsed[i]))
            {
                calls.Add(streamed[i]);
                continue;
            }
            calls.Add(parsed[i]);
            if (i < streamed.Count)
                continue;
            deltas.Add(new ToolCallPiece(i, parsed[i].Id, parsed[i].Name, ""));
            deltas.Add(new ToolCallPiece(i, null, null, parsed[i].Arguments));
        }
        return ("", content ?? "", calls, deltas);
    }

    private static bool Same(ChatToolCall streamed, ChatToolCall parsed)
    {
        try
        {
            return streamed.Name == parsed.Name
                && System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(streamed.Arguments),
                    System.Text.Json.Nodes.JsonNode.Parse(parsed.Arguments));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static int IndexOfTrigger(string text)
    {
        var start = -1;
        foreach (var trigger in ToolCallParser.Triggers)
        {
            var at = text.IndexOf(trigger, StringComparison.Ordinal);
            if (at >= 0 && (start < 0 || at < start))
                start = at;
        }
        return start;
    }

    /// <summary>How many trailing characters of <paramref name="text"/> could begin one of <paramref name="markers"/>.</summary>
    private static int PartialSuffix(string text, IReadOnlyList<string> markers)
    {
        var longest = 0;
        foreach (var marker in markers)
        {
            for (var length = Math.Min(marker.Length - 1, text.Length); length > longest; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(marker.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }
}
