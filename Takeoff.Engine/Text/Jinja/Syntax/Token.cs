namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>One lexeme; <see cref="Value"/> holds the text (a string literal already unescaped, a number's digits).</summary>
internal readonly record struct Token(TokenKind Kind, string Value, int Line)
{
    public bool Is(TokenKind kind, string value) => Kind == kind && Value == value;

    public bool IsName(string name) => Is(TokenKind.Name, name);

    public bool IsOperator(string op) => Is(TokenKind.Operator, op);

    public override string ToString() => Kind switch
    {
        TokenKind.End => "end of template",
        TokenKind.Text => "template text",
        TokenKind.String => $"string '{Value}'",
        TokenKind.VariableEnd => "'end of print statement'",
        TokenKind.BlockEnd => "'end of statement block'",
        _ => $"'{Value}'",
    };
}
