using System.Globalization;
using System.Text;
using Takeoff.Engine.Text.Jinja.Errors;

namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>
/// Splits a template into text and tag tokens with the whitespace rules transformers renders with:
/// <c>trim_blocks</c> (the newline after a block or comment tag goes), <c>lstrip_blocks</c> (spaces and tabs before a
/// block or comment tag at the start of a line go), the <c>-</c> markers (all whitespace on that side goes), and
/// Jinja2's default of dropping one trailing newline of the source.
/// </summary>
internal sealed class Lexer
{
    private static readonly string[] Operators =
        ["**", "//", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "=", ".", ",", ":", "|", "(", ")", "[", "]", "{", "}"];

    private readonly string _src;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _line = 1;

    // Jinja2's lstrip_blocks also applies when the previous tag ate the newline before this text (trim_blocks).
    private bool _lineStarting = true;

    private Lexer(string source) => _src = Normalize(source);

    public static List<Token> Tokenize(string source)
    {
        var lexer = new Lexer(source);
        lexer.Run();
        return lexer._tokens;
    }

    /// <summary>Jinja2 reads the source line by line: any newline becomes \n and one trailing newline is dropped.</summary>
    private static string Normalize(string source)
    {
        var text = source.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return text.EndsWith('\n') ? text[..^1] : text;
    }

    private void Run()
    {
        while (_pos < _src.Length)
        {
            var start = FindTagStart(_pos);
            var text = _src[_pos..(start < 0 ? _src.Length : start)];
            if (start < 0)
            {
                AddText(text);
                _pos = _src.Length;
                break;
            }

            var kind = _src[start + 1];
            var marker = start + 2 < _src.Length ? _src[start + 2] : '\0';
            if (marker == '-')
                text = text.TrimEnd();
            else if (kind != '{' && marker != '+')
                text = LstripBlock(text);
            AddText(text);
            _pos = start + 2 + (marker is '-' or '+' ? 1 : 0);

            switch (kind)
            {
                case '#':
                    SkipComment();
                    break;
                case '%' when IsRawStart():
                    ReadRaw();
                    break;
                case '%':
                    _tokens.Add(new Token(TokenKind.BlockBegin, "{%", _line));
                    ReadTagBody("%}", TokenKind.BlockEnd);
                    break;
                default:
                    _tokens.Add(new Token(TokenKind.VariableBegin, "{{", _line));
                    ReadTagBody("}}", TokenKind.VariableEnd);
                    break;
            }
        }

        _tokens.Add(new Token(TokenKind.End, "", _line));
    }

    private int FindTagStart(int from)
    {
        for (var i = _src.IndexOf('{', from); i >= 0 && i + 1 < _src.Length; i = _src.IndexOf('{', i + 1))
        {
            if (_src[i + 1] is '{' or '%' or '#')
                return i;
        }

        return -1;
    }

    private string LstripBlock(string text)
    {
        var lineStart = text.LastIndexOf('\n') + 1;
        if (lineStart == 0 && !_lineStarting)
            return text;
        for (var i = lineStart; i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
                return text;
        }

        return text[..lineStart];
    }

    private void AddText(string text)
    {
        if (text.Length > 0)
            _tokens.Add(new Token(TokenKind.Text, text, _line));
        _line += text.Count(c => c == '\n');
    }

    /// <summary>After a tag's closing delimiter: <c>-</c> eats all whitespace, trim_blocks one newline (blocks and comments).</summary>
    private void AfterTagEnd(bool dash, bool trimBlock)
    {
        var from = _pos;
        if (dash)
        {
            while (_pos < _src.Length && char.IsWhiteSpace(_src[_pos]))
                _pos++;
        }
        else if (trimBlock && _pos < _src.Length && _src[_pos] == '\n')
        {
            _pos++;
        }

        _line += _src.AsSpan(from, _pos - from).Count('\n');
        _lineStarting = _pos > 0 && _src[_pos - 1] == '\n';
    }

    private void SkipComment()
    {
        var end = _src.IndexOf("#}", _pos, StringComparison.Ordinal);
        if (end < 0)
            throw Error("missing end of comment tag");
        _line += _src.AsSpan(_pos, end - _pos).Count('\n');
        var dash = end > _pos && _src[end - 1] == '-';
        _pos = end + 2;
        AfterTagEnd(dash, trimBlock: true);
    }

    private bool IsRawStart()
    {
        var i = SkipSpaces(_pos);
        if (string.CompareOrdinal(_src, i, "raw", 0, 3) != 0)
            return false;
        i = SkipSpaces(i + 3);
        return string.CompareOrdinal(_src, i, "%}", 0, 2) == 0 || string.CompareOrdinal(_src, i, "-%}", 0, 3) == 0;
    }

    private void ReadRaw()
    {
        var open = _src.IndexOf("%}", _pos, StringComparison.Ordinal);
        var dash = _src[open - 1] == '-';
        _pos = open + 2;
        // Jinja2's raw_begin rule has no trim_blocks newline, only the "-%}" form strips.
        AfterTagEnd(dash, trimBlock: false);
        for (var i = _src.IndexOf("{%", _pos, StringComparison.Ordinal); i >= 0; i = _src.IndexOf("{%", i + 2, StringComparison.Ordinal))
        {
            var j = SkipSpaces(i + 2 + (i + 2 < _src.Length && _src[i + 2] is '-' or '+' ? 1 : 0));
            if (string.CompareOrdinal(_src, j, "endraw", 0, 6) != 0)
                continue;
            var close = _src.IndexOf("%}", j, StringComparison.Ordinal);
            if (close < 0)
                break;
            var text = _src[_pos..i];
            if (_src[i + 2] == '-')
                text = text.TrimEnd();
            else if (_src[i + 2] != '+')
                text = LstripBlock(text);
            AddText(text);
            _pos = close + 2;
            AfterTagEnd(_src[close - 1] == '-', trimBlock: _src[close - 1] != '+');
            return;
        }

        throw Error("missing end of raw directive");
    }

    private int SkipSpaces(int i)
    {
        while (i < _src.Length && char.IsWhiteSpace(_src[i]))
            i++;
        return i;
    }

    private void ReadTagBody(string close, TokenKind endKind)
    {
        var depth = 0;
        while (true)
        {
            var before = _pos;
            _pos = SkipSpaces(_pos);
            _line += _src.AsSpan(before, _pos - before).Count('\n');
            if (_pos >= _src.Length)
                throw Error($"unexpected end of template, expected '{close}'");

            if (depth == 0)
            {
                var dash = _src[_pos] == '-' && string.CompareOrdinal(_src, _pos + 1, close, 0, 2) == 0;
                var plus = _src[_pos] == '+' && endKind == TokenKind.BlockEnd && string.CompareOrdinal(_src, _pos + 1, close, 0, 2) == 0;
                if (dash || plus || string.CompareOrdinal(_src, _pos, close, 0, 2) == 0)
                {
                    _tokens.Add(new Token(endKind, close, _line));
                    _pos += (dash || plus ? 1 : 0) + 2;
                    AfterTagEnd(dash, trimBlock: endKind == TokenKind.BlockEnd && !plus);
                    return;
                }
            }

            var c = _src[_pos];
            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = _pos;
                while (_pos < _src.Length && (char.IsAsciiLetterOrDigit(_src[_pos]) || _src[_pos] == '_'))
                    _pos++;
                _tokens.Add(new Token(TokenKind.Name, _src[start.._pos], _line));
            }
            else if (char.IsAsciiDigit(c))
            {
                ReadNumber();
            }
            else if (c is '\'' or '"')
            {
                ReadString(c);
            }
            else
            {
                var op = Array.Find(Operators, o => string.CompareOrdinal(_src, _pos, o, 0, o.Length) == 0)
                    ?? throw Error($"unexpected char '{c}' at {_pos}");
                depth += op is "(" or "[" or "{" ? 1 : op is ")" or "]" or "}" ? -1 : 0;
                _tokens.Add(new Token(TokenKind.Operator, op, _line));
                _pos += op.Length;
            }
        }
    }

    private void ReadNumber()
    {
        var start = _pos;
        var isFloat = false;
        SkipDigits();
        if (_pos + 1 < _src.Length && _src[_pos] == '.' && char.IsAsciiDigit(_src[_pos + 1]))
        {
            isFloat = true;
            _pos++;
            SkipDigits();
        }

        if (_pos < _src.Length && _src[_pos] is 'e' or 'E')
        {
            var save = _pos++;
            if (_pos < _src.Length && _src[_pos] is '+' or '-')
                _pos++;
            if (_pos < _src.Length && char.IsAsciiDigit(_src[_pos]))
            {
                isFloat = true;
                SkipDigits();
            }
            else
            {
                _pos = save;
            }
        }

        var text = _src[start.._pos].Replace("_", "", StringComparison.Ordinal);
        _tokens.Add(new Token(isFloat ? TokenKind.Float : TokenKind.Integer, text, _line));
    }

    private void SkipDigits()
    {
        while (_pos < _src.Length && (char.IsAsciiDigit(_src[_pos]) || (_src[_pos] == '_' && _pos + 1 < _src.Length && char.IsAsciiDigit(_src[_pos + 1]))))
            _pos++;
    }

    /// <summary>Python's string escapes; an unknown escape keeps its backslash, as Python does.</summary>
    private void ReadString(char quote)
    {
        var line = _line;
        var start = _pos;
        var sb = new StringBuilder();
        _pos++;
        while (true)
        {
            if (_pos >= _src.Length)
                throw Error($"unexpected char \"{quote}\" at {start}");
            var c = _src[_pos++];
            if (c == quote)
                break;
            if (c == '\n')
                _line++;
            if (c != '\\' || _pos >= _src.Length)
            {
                sb.Append(c);
                continue;
            }

            var e = _src[_pos++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case '0': sb.Append('\0'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case '\n': _line++; break;
                case 'x': sb.Append(ReadHex(2)); break;
                case 'u': sb.Append(ReadHex(4)); break;
                case 'U': sb.Append(ReadHex(8)); break;
                default: sb.Append('\\').Append(e); break;
            }
        }

        _tokens.Add(new Token(TokenKind.String, sb.ToString(), line));
    }

    private string ReadHex(int digits)
    {
        if (_pos + digits > _src.Length
            || !int.TryParse(_src.AsSpan(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            throw Error("truncated \\x, \\u or \\U escape in a string");
        _pos += digits;
        return char.ConvertFromUtf32(code);
    }

    private TemplateException Error(string message) =>
        new(TemplateErrorKind.Syntax, $"{message} (line {_line})");
}
