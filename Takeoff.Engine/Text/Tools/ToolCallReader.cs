using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Takeoff.Engine.Text.Tools;

/// <summary>
/// Reads tool calls while they are written, for streaming: once a call's <c>{"name": "…", "arguments": </c> (or
/// <c>"parameters"</c>) has been written it is announced, and its arguments object then streams as it grows, without
/// whitespace outside strings (the compact form OpenAI sends). It reads the call objects of every format (a Hermes
/// block, a Mistral or generic list, a bare Llama 3 object) alike; calls written in another shape (arguments first,
/// arguments as a string) are left to the parser at the end.
/// </summary>
public sealed partial class ToolCallReader(IReadOnlyCollection<string> toolNames)
{
    private readonly List<ChatToolCall> _announced = [];
    private readonly StringBuilder _arguments = new();
    private int _searchFrom;
    private int _scanned = -1;
    private int _depth;
    private bool _inString;
    private bool _escaped;
    private bool _stopped;

    /// <summary>The calls announced so far, with the arguments streamed so far.</summary>
    public IReadOnlyList<ChatToolCall> Announced => _announced;

    /// <summary>Whether the last call announced has its whole arguments object.</summary>
    public bool LastComplete => _scanned < 0;

    /// <summary>What <paramref name="text"/> (all the call text so far: what was read before, and more) adds.</summary>
    public IReadOnlyList<ToolCallPiece> Read(string text)
    {
        var deltas = new List<ToolCallPiece>();
        while (!_stopped)
        {
            if (_scanned < 0)
            {
                var head = CallHead().Match(text, _searchFrom);
                if (!head.Success)
                    break;
                var name = JsonSerializer.Deserialize<string>($"\"{head.Groups[1].Value}\"")!;
                if (!toolNames.Contains(name))
                {
                    // Not a call of an offered tool: nothing more is streamed, the parser decides at the end.
                    _stopped = true;
                    break;
                }
                _announced.Add(new ChatToolCall(ToolCallParser.NewId(), name, ""));
                deltas.Add(new ToolCallPiece(_announced.Count - 1, _announced[^1].Id, name, ""));
                _scanned = head.Index + head.Length;
                _arguments.Clear();
                _depth = 0;
            }
            var piece = new StringBuilder();
            var end = -1;
            for (; _scanned < text.Length && end < 0; _scanned++)
            {
                var c = text[_scanned];
                if (_inString)
                {
                    _inString = !(c == '"' && !_escaped);
                    _escaped = !_escaped && c == '\\';
                }
                else if (char.IsWhiteSpace(c))
                    continue;
                else if (c == '"')
                    _inString = true;
                else if (c is '{' or '[')
                    _depth++;
                else if (c is '}' or ']' && --_depth == 0)
                    end = _scanned + 1;
                piece.Append(c);
            }
            if (piece.Length > 0)
            {
                _arguments.Append(piece);
                _announced[^1] = _announced[^1] with { Arguments = _arguments.ToString() };
                deltas.Add(new ToolCallPiece(_announced.Count - 1, null, null, piece.ToString()));
            }
            if (end < 0)
                break;
            _searchFrom = end;
            _scanned = -1;
        }
        return deltas;
    }

    /// <summary>A call object's head, up to the arguments object it opens (its name a JSON string's content).</summary>
    [GeneratedRegex("""\{\s*"name"\s*:\s*"((?:[^"\\]|\\.)*)"\s*,\s*"(?:arguments|parameters)"\s*:\s*(?=\{)""")]
    private static partial Regex CallHead();
}

/// <summary>
/// A piece of a streamed tool call: the first of a call carries its id and name (and no arguments), the next ones
/// pieces of its arguments (OpenAI's <c>delta.tool_calls</c>).
/// </summary>
public sealed record ToolCallPiece(int Index, string? Id, string? Name, string Arguments);
