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
    private bool _fired;

    public ToolCallFormat Format => format;

    /// <summary>
    /// Adds the answer's next piece (an empty one before the first token: the prefill alone). Returns, once, the text
    /// from the opening of the call on (what the call's grammar must accept before it takes over); null while no call
    /// has opened.
    /// </summary>
    public string? Add(string piece)
    {
        if (_fired)
            return null;
        _answer.Append(piece);
        var text = _answer.ToString();
        var from = AfterReasoning(text);
        if (from < 0)
            return null;

        if (_bareJsonStart is { } start && !_startDecided)
        {
            var first = from;
            while (first < text.Length && char.IsWhiteSpace(text[first]))
                first++;
            // The start without whitespace: '{ "name"' opens a call as '{"name"' does.
            var compact = string.Concat(text[first..].Where(c => !char.IsWhiteSpace(c)).Take(start.Length));
            if (compact == start)
                return Fire(text[first..]);
            _startDecided = compact.Length > 0 && !start.StartsWith(compact, StringComparison.Ordinal);
        }
        if (_marker is null)
            return null;
        var searchFrom = Math.Max(from, _searched - (_marker.Length - 1));
        var at = text.IndexOf(_marker, searchFrom, StringComparison.Ordinal);
        _searched = text.Length;
        if (at < 0)
            return null;
        return Fire(_markerInGrammar ? text[at..] : text[(at + _marker.Length)..]);
    }

    private string Fire(string call)
    {
        _fired = true;
        return call;
    }

    /// <summary>Where text outside a think block starts, or -1 while one is open.</summary>
    private static int AfterReasoning(string text)
    {
        var open = text.IndexOf(ThinkOpen, StringComparison.Ordinal);
        if (open < 0 || text[..open].Trim().Length > 0)
            return 0;
        var close = text.IndexOf(ThinkClose, open, StringComparison.Ordinal);
        return close < 0 ? -1 : close + ThinkClose.Length;
    }
}
