using System.Text;

namespace Takeoff.Engine.Text.Tools;

/// <summary>
/// Watches an answer as it is generated for the moment it opens a tool call in its format: Hermes' <c>&lt;tool_call&gt;</c>
/// and Mistral's <c>[TOOL_CALLS]</c> anywhere, Llama 3's <c>&lt;|python_tag|&gt;</c> anywhere, and a bare JSON call
/// (Llama 3's <c>{"name"</c>, the generic <c>{"tool_calls"</c>) only as the very start of the answer, so that an answer
/// that is other JSON stays free. Text inside a <c>&lt;think&gt;</c> block opens nothing.
/// Each piece is searched once, with the few characters before it that may hold the start of a marker.
/// </summary>
/// <param name="prefill">The assistant's text the answer continues: a call it opened is open from the first token.</param>
public sealed class ToolCallTrigger(ToolCallFormat format, string prefill = "")
{
    private const string ThinkOpen = "<think>";
    private const string ThinkClose = "</think>";

    private readonly StringBuilder _answer = new(prefill);
    private readonly string? _marker = format switch
    {
        ToolCallFormat.Hermes => "<tool_call>",
        ToolCallFormat.Mistral => "[TOOL_CALLS]",
        ToolCallFormat.Llama3 => "<|python_tag|>",
        _ => null,
    };

    // The grammar of a Llama 3 call is its JSON object alone: the tag before it is not part of it.
    private readonly bool _markerInGrammar = format != ToolCallFormat.Llama3;
    private readonly string? _bareJsonStart = format switch
    {
        ToolCallFormat.Llama3 => "{\"name\"",
        ToolCallFormat.Generic => "{\"tool_calls\"",
        _ => null,
    };
    private int _searched;
    private bool _startDecided;
    // The answer's start read so far for a bare JSON call: from where, up to where, its first character that is not
    // whitespace, and those characters (at most the call's opening) without the whitespace between them.
    private int _startFrom = -1;
    private int _startRead;
    private int _startFirst = -1;
    private readonly StringBuilder _startCompact = new();
    private bool _fired;
    // The reasoning block, found as the answer grows: where its <think> is and whether only whitespace comes before it,
    // where the text after its </think> starts, and how far the answer has been searched for those tags.
    private int _thinkOpen = -1;
    private bool _thinkLeads;
    private int _thinkEnd = -1;
    private int _tagsSearched;

    public ToolCallFormat Format => format;

    /// <summary>
    /// Adds the answer's next piece (an empty one before the first token: the prefill alone). Returns, once, the text
    /// from the opening of the call on (what the call's grammar must accept before it takes over); null while no call
    /// has opened. Only the new piece (and the few characters before it a tag may start in) is searched: the answer
    /// is never copied whole, which on a long answer would cost its length on every token.
    /// </summary>
    public string? Add(string piece)
    {
        if (_fired)
            return null;
        _answer.Append(piece);
        var from = AfterReasoning();
        if (from < 0)
            return null;

        // Decided within the answer's first few characters that are not whitespace, read once each (an answer of
        // whitespace alone is not read again on every token).
        if (_bareJsonStart is { } start && (!_startDecided || from != _startFrom))
        {
            // Where the answer starts moved (a think block closed): what came before it decided nothing.
            if (from != _startFrom)
            {
                (_startFrom, _startRead, _startFirst, _startDecided) = (from, from, -1, false);
                _startCompact.Clear();
            }
            // The start without whitespace: '{ "name"' opens a call as '{"name"' does.
            for (; _startRead < _answer.Length && _startCompact.Length < start.Length; _startRead++)
            {
                var c = _answer[_startRead];
                if (char.IsWhiteSpace(c))
                    continue;
                if (_startFirst < 0)
                    _startFirst = _startRead;
                _startCompact.Append(c);
            }
            var compact = _startCompact.ToString();
            if (compact == start)
                return Fire(_startFirst);
            _startDecided = compact.Length > 0 && !start.StartsWith(compact, StringComparison.Ordinal);
        }
        if (_marker is null)
            return null;
        var searchFrom = Math.Max(from, _searched - (_marker.Length - 1));
        var at = IndexOf(_marker, searchFrom);
        _searched = _answer.Length;
        if (at < 0)
            return null;
        return Fire(_markerInGrammar ? at : at + _marker.Length);
    }

    private string Fire(int from)
    {
        _fired = true;
        return _answer.ToString(from, _answer.Length - from);
    }

    /// <summary>The first <paramref name="value"/> in the answer at or after <paramref name="from"/>, or -1.</summary>
    private int IndexOf(string value, int from)
    {
        var at = _answer.ToString(from, _answer.Length - from).IndexOf(value, StringComparison.Ordinal);
        return at < 0 ? -1 : from + at;
    }

    /// <summary>
    /// Where text outside a think block starts, or -1 while one is open. A think block counts only when its
    /// <c>&lt;think&gt;</c> has nothing but whitespace before it.
    /// </summary>
    private int AfterReasoning()
    {
        if (_thinkOpen < 0)
        {
            _thinkOpen = IndexOf(ThinkOpen, Math.Max(0, _tagsSearched - (ThinkOpen.Length - 1)));
            if (_thinkOpen < 0)
            {
                _tagsSearched = _answer.Length;
                return 0;
            }
            _thinkLeads = _answer.ToString(0, _thinkOpen).Trim().Length == 0;
            _tagsSearched = _thinkOpen + ThinkOpen.Length;
        }
        if (!_thinkLeads)
            return 0;
        if (_thinkEnd < 0)
        {
            var close = IndexOf(ThinkClose, Math.Max(_thinkOpen + ThinkOpen.Length, _tagsSearched - (ThinkClose.Length - 1)));
            _tagsSearched = _answer.Length;
            if (close < 0)
                return -1;
            _thinkEnd = close + ThinkClose.Length;
        }
        return _thinkEnd;
    }
}
