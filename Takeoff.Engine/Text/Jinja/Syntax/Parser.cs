using System.Globalization;
using System.Runtime.CompilerServices;
using Takeoff.Engine.Text.Jinja.Errors;
using Takeoff.Engine.Text.Jinja.Runtime;

namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>
/// Recursive descent over the tokens, with Jinja2's grammar and operator precedence (parser.py). Nesting is bounded
/// so that a hostile template is a syntax error, never a stack overflow (which .NET cannot catch).
/// </summary>
internal sealed class Parser
{
    /// <summary>Blocks, brackets and unary operators inside each other; real chat templates stay under 20.</summary>
    public const int MaxNesting = 200;

    private static readonly HashSet<string> CompareOperators = ["==", "!=", "<", ">", "<=", ">="];

    private readonly List<Token> _tokens;
    private int _pos;
    private int _nesting;
    private int _loops;

    // Jinja2 defers "no filter named x" to render time inside if blocks and conditional expressions (a "soft" frame).
    private bool _soft;

    // Names read inside the macro being parsed: whether it takes extra arguments depends on varargs / kwargs.
    private HashSet<string>? _macroNames;

    private Parser(List<Token> tokens) => _tokens = tokens;

    public static IReadOnlyList<Stmt> Parse(string source)
    {
        var parser = new Parser(Lexer.Tokenize(source));
        return parser.ParseBody([]);
    }

    private Token Current => _tokens[Math.Min(_pos, _tokens.Count - 1)];

    private Token Next() => _tokens[_pos++];

    private bool AcceptOperator(string op)
    {
        if (!Current.IsOperator(op))
            return false;
        _pos++;
        return true;
    }

    private bool AcceptName(string name)
    {
        if (!Current.IsName(name))
            return false;
        _pos++;
        return true;
    }

    private void ExpectOperator(string op)
    {
        if (!AcceptOperator(op))
            throw Error($"expected '{op}', got {Current}");
    }

    private string ExpectName()
    {
        if (Current.Kind != TokenKind.Name)
            throw Error($"expected a name, got {Current}");
        return Next().Value;
    }

    private void ExpectBlockEnd()
    {
        if (Current.Kind != TokenKind.BlockEnd)
            throw Error($"expected end of statement block, got {Current}");
        _pos++;
    }

    private TemplateException Error(string message) =>
        new(TemplateErrorKind.Syntax, $"{message} (line {Current.Line})");

    private void Enter()
    {
        if (++_nesting > MaxNesting)
            throw new TemplateException(TemplateErrorKind.Limit, $"template nested deeper than {MaxNesting} levels (line {Current.Line})");
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new TemplateException(TemplateErrorKind.Limit, $"template nested too deeply (line {Current.Line})");
    }

    private void Leave() => _nesting--;

    /// <summary>Statements until one of <paramref name="endTags"/> (left unconsumed, after its <c>{%</c>) or the end.</summary>
    private List<Stmt> ParseBody(string[] endTags)
    {
        Enter();
        var body = new List<Stmt>();
        while (true)
        {
            var token = Next();
            switch (token.Kind)
            {
                case TokenKind.Text:
                    body.Add(new TextStmt(token.Value));
                    break;
                case TokenKind.VariableBegin:
                    body.Add(new OutputStmt(ParseTuple()));
                    if (Next().Kind != TokenKind.VariableEnd)
                        throw Error("expected end of print statement");
                    break;
                case TokenKind.BlockBegin:
                    if (Current.Kind == TokenKind.Name && endTags.Contains(Current.Value))
                    {
                        Leave();
                        return body;
                    }

                    body.Add(ParseStatement());
                    break;
                case TokenKind.End:
                    if (endTags.Length > 0)
                        throw Error($"Unexpected end of template. Jinja was looking for the following tags: '{string.Join("' or '", endTags)}'.");
                    Leave();
                    return body;
                default:
                    throw Error($"unexpected {token}");
            }
        }
    }

    private Stmt ParseStatement()
    {
        var line = Current.Line;
        var tag = ExpectName();
        switch (tag)
        {
            case "if":
                return ParseIf();
            case "for":
                return ParseFor();
            case "set":
                return ParseSet();
            case "macro":
                return ParseMacro();
            case "filter":
                return ParseFilterBlock();
            case "break" or "continue":
                if (_loops == 0)
                    throw Error($"'{tag}' outside of a loop");
                ExpectBlockEnd();
                return tag == "break" ? new BreakStmt() : new ContinueStmt();
            default:
                throw new TemplateException(TemplateErrorKind.Syntax, $"Encountered unknown tag '{tag}' (line {line})");
        }
    }

    private IfStmt ParseIf()
    {
        var outer = _soft;
        _soft = true;
        var test = ParseTuple();
        ExpectBlockEnd();
        var body = ParseBody(["elif", "else", "endif"]);
        IReadOnlyList<Stmt> otherwise = [];
        switch (Next().Value)
        {
            case "elif":
                otherwise = [ParseIf()];
                break;
            case "else":
                ExpectBlockEnd();
                otherwise = ParseBody(["endif"]);
                _pos++;
                ExpectBlockEnd();
                break;
            default:
                ExpectBlockEnd();
                break;
        }

        _soft = outer;
        return new IfStmt(test, body, otherwise);
    }

    private ForStmt ParseFor()
    {
        var targets = ParseTargetNames();
        if (!AcceptName("in"))
            throw Error($"expected 'in', got {Current}");
        var iterable = ParseTuple(withCondition: false);
        var filter = AcceptName("if") ? ParseExpression() : null;
        var recursive = AcceptName("recursive");
        ExpectBlockEnd();

        var outer = _soft;
        _soft = false;
        _loops++;
        var body = ParseBody(["endfor", "else"]);
        _loops--;
        IReadOnlyList<Stmt> otherwise = [];
        if (Next().Value == "else")
        {
            ExpectBlockEnd();
            otherwise = ParseBody(["endfor"]);
            _pos++;
        }

        ExpectBlockEnd();
        _soft = outer;
        return new ForStmt(targets, iterable, filter, body, otherwise, recursive);
    }

    private List<string> ParseTargetNames()
    {
        var parens = AcceptOperator("(");
        var names = new List<string> { ExpectName() };
        while (AcceptOperator(","))
        {
            if (Current.Kind != TokenKind.Name || Current.IsName("in"))
                break;
            names.Add(ExpectName());
        }

        if (parens)
            ExpectOperator(")");
        return names;
    }

    private Stmt ParseSet()
    {
        AssignTarget target;
        var first = ExpectName();
        if (AcceptOperator("."))
        {
            target = new AssignTarget([first], ExpectName());
        }
        else if (Current.IsOperator(","))
        {
            var names = new List<string> { first };
            while (AcceptOperator(","))
                names.Add(ExpectName());
            target = new AssignTarget(names, null);
        }
        else
        {
            target = new AssignTarget([first], null);
        }

        if (AcceptOperator("="))
        {
            var value = ParseTuple();
            ExpectBlockEnd();
            return new SetStmt(target, value);
        }

        var filter = Current.IsOperator("|") ? ParseFilters(new BlockBodyExpr()) : null;
        ExpectBlockEnd();
        var outer = _soft;
        _soft = false;
        var body = ParseBody(["endset"]);
        _soft = outer;
        _pos++;
        ExpectBlockEnd();
        return new SetBlockStmt(target, body, filter);
    }

    private MacroStmt ParseMacro()
    {
        var name = ExpectName();
        var parameters = new List<MacroParameter>();
        ExpectOperator("(");
        while (!AcceptOperator(")"))
        {
            if (parameters.Count > 0)
                ExpectOperator(",");
            if (AcceptOperator(")"))
                break;
            var parameter = ExpectName();
            parameters.Add(new MacroParameter(parameter, AcceptOperator("=") ? ParseExpression() : null));
        }

        ExpectBlockEnd();
        var (outerSoft, outerNames, outerLoops) = (_soft, _macroNames, _loops);
        (_soft, _macroNames, _loops) = (false, [], 0);
        var body = ParseBody(["endmacro"]);
        var names = _macroNames;
        (_soft, _macroNames, _loops) = (outerSoft, outerNames, outerLoops);
        _pos++;
        ExpectBlockEnd();
        return new MacroStmt(name, parameters, body, names.Contains("varargs"), names.Contains("kwargs"));
    }

    private FilterBlockStmt ParseFilterBlock()
    {
        // {% filter a | b %}: the first filter has no pipe before it.
        Expr filter = ParseFilter(new BlockBodyExpr());
        while (AcceptOperator("|"))
            filter = ParseFilter(filter);
        ExpectBlockEnd();
        var outer = _soft;
        _soft = false;
        var body = ParseBody(["endfilter"]);
        _soft = outer;
        _pos++;
        ExpectBlockEnd();
        return new FilterBlockStmt(filter, body);
    }

    /// <summary>Expressions separated by commas: one alone is itself, several (or a trailing comma) a tuple.</summary>
    private Expr ParseTuple(bool withCondition = true)
    {
        var first = ParseExpression(withCondition);
        if (!Current.IsOperator(","))
            return first;
        var items = new List<Expr> { first };
        while (AcceptOperator(","))
        {
            if (IsTupleEnd())
                break;
            items.Add(ParseExpression(withCondition));
        }

        return new TupleExpr(items);
    }

    private bool IsTupleEnd() =>
        Current.Kind is TokenKind.VariableEnd or TokenKind.BlockEnd or TokenKind.End
        || Current.IsOperator(")") || Current.IsOperator("]") || Current.IsName("in") || Current.IsName("if");

    private Expr ParseExpression(bool withCondition = true) => withCondition ? ParseConditional() : ParseOr();

    private Expr ParseConditional()
    {
        var expr = ParseOr();
        while (AcceptName("if"))
        {
            var outer = _soft;
            _soft = true;
            var test = ParseOr();
            var otherwise = AcceptName("else") ? ParseConditional() : null;
            _soft = outer;
            expr = new ConditionalExpr(test, expr, otherwise);
        }

        return expr;
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (AcceptName("or"))
            left = new BinaryExpr("or", left, ParseAnd());
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (AcceptName("and"))
            left = new BinaryExpr("and", left, ParseNot());
        return left;
    }

    private Expr ParseNot()
    {
        if (!AcceptName("not"))
            return ParseCompare();
        Enter();
        var operand = ParseNot();
        Leave();
        return new UnaryExpr("not", operand);
    }

    private Expr ParseCompare()
    {
        var left = ParseAdditive();
        var operations = new List<KeyValuePair<string, Expr>>();
        while (true)
        {
            string op;
            if (Current.Kind == TokenKind.Operator && CompareOperators.Contains(Current.Value))
                op = Next().Value;
            else if (AcceptName("in"))
                op = "in";
            else if (Current.IsName("not") && _tokens[_pos + 1].IsName("in"))
                (op, _pos) = ("not in", _pos + 2);
            else
                break;
            operations.Add(new(op, ParseAdditive()));
        }

        return operations.Count == 0 ? left : new CompareExpr(left, operations);
    }

    private Expr ParseAdditive()
    {
        var left = ParseConcat();
        while (Current.IsOperator("+") || Current.IsOperator("-"))
            left = new BinaryExpr(Next().Value, left, ParseConcat());
        return left;
    }

    private Expr ParseConcat()
    {
        var left = ParseMultiplicative();
        while (AcceptOperator("~"))
            left = new BinaryExpr("~", left, ParseMultiplicative());
        return left;
    }

    private Expr ParseMultiplicative()
    {
        var left = ParsePower();
        while (Current.IsOperator("*") || Current.IsOperator("/") || Current.IsOperator("//") || Current.IsOperator("%"))
            left = new BinaryExpr(Next().Value, left, ParsePower());
        return left;
    }

    private Expr ParsePower()
    {
        var left = ParseUnary();
        while (AcceptOperator("**"))
            left = new BinaryExpr("**", left, ParseUnary());
        return left;
    }

    private Expr ParseUnary(bool withFilter = true)
    {
        Expr expr;
        if (Current.IsOperator("-") || Current.IsOperator("+"))
        {
            var op = Next().Value;
            Enter();
            expr = new UnaryExpr(op, ParseUnary(withFilter: false));
            Leave();
        }
        else
        {
            expr = ParsePrimary();
        }

        expr = ParsePostfix(expr);
        return withFilter ? ParseFilters(expr) : expr;
    }

    private Expr ParsePrimary()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.Name:
                return token.Value switch
                {
                    "true" or "True" => new LiteralExpr(true),
                    "false" or "False" => new LiteralExpr(false),
                    "none" or "None" => new LiteralExpr(null),
                    _ => Name(token.Value),
                };
            case TokenKind.String:
                var text = token.Value;
                while (Current.Kind == TokenKind.String)
                    text += Next().Value;
                return new LiteralExpr(text);
            case TokenKind.Integer:
                return long.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var integer)
                    ? new LiteralExpr(integer)
                    : throw Error($"integer {token.Value} is too large");
            case TokenKind.Float:
                return new LiteralExpr(double.Parse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture));
            case TokenKind.Operator when token.Value is "(" or "[" or "{":
                Enter();
                var expr = token.Value switch
                {
                    "(" => ParseParenthesized(),
                    "[" => ParseList(),
                    _ => ParseDict(),
                };
                Leave();
                return expr;
            default:
                _pos--;
                throw Error($"unexpected {token}");
        }
    }

    private NameExpr Name(string name)
    {
        _macroNames?.Add(name);
        return new NameExpr(name);
    }

    private Expr ParseParenthesized()
    {
        if (AcceptOperator(")"))
            return new TupleExpr([]);
        var first = ParseExpression();
        if (AcceptOperator(")"))
            return first;
        var items = new List<Expr> { first };
        while (AcceptOperator(","))
        {
            if (Current.IsOperator(")"))
                break;
            items.Add(ParseExpression());
        }

        ExpectOperator(")");
        return new TupleExpr(items);
    }

    private ListExpr ParseList()
    {
        var items = new List<Expr>();
        while (!AcceptOperator("]"))
        {
            if (items.Count > 0)
                ExpectOperator(",");
            if (AcceptOperator("]"))
                break;
            items.Add(ParseExpression());
        }

        return new ListExpr(items);
    }

    private DictExpr ParseDict()
    {
        var pairs = new List<KeyValuePair<Expr, Expr>>();
        while (!AcceptOperator("}"))
        {
            if (pairs.Count > 0)
                ExpectOperator(",");
            if (AcceptOperator("}"))
                break;
            var key = ParseExpression();
            ExpectOperator(":");
            pairs.Add(new(key, ParseExpression()));
        }

        return new DictExpr(pairs);
    }

    private Expr ParsePostfix(Expr expr)
    {
        while (true)
        {
            if (AcceptOperator("."))
            {
                var token = Next();
                expr = token.Kind switch
                {
                    TokenKind.Name => new AttributeExpr(expr, token.Value),
                    TokenKind.Integer => new ItemExpr(expr, new LiteralExpr(long.Parse(token.Value, CultureInfo.InvariantCulture))),
                    _ => throw Error($"expected an attribute name, got {token}"),
                };
            }
            else if (AcceptOperator("["))
            {
                Enter();
                expr = new ItemExpr(expr, ParseSubscript());
                Leave();
            }
            else if (AcceptOperator("("))
            {
                Enter();
                expr = new CallExpr(expr, ParseArguments());
                Leave();
            }
            else
            {
                return expr;
            }
        }
    }

    private Expr ParseSubscript()
    {
        var items = new List<Expr>();
        do
        {
            if (Current.IsOperator("]"))
                break;
            items.Add(ParseSliceOrExpression());
        }
        while (AcceptOperator(","));
        ExpectOperator("]");
        return items.Count == 1 ? items[0] : new TupleExpr(items);
    }

    private Expr ParseSliceOrExpression()
    {
        var start = Current.IsOperator(":") ? null : ParseExpression();
        if (!AcceptOperator(":"))
            return start!;
        var stop = Current.IsOperator("]") || Current.IsOperator(",") || Current.IsOperator(":") ? null : ParseExpression();
        Expr? step = null;
        if (AcceptOperator(":") && !Current.IsOperator("]") && !Current.IsOperator(","))
            step = ParseExpression();
        return new SliceExpr(start, stop, step);
    }

    /// <summary>After the opening parenthesis: positional arguments, then <c>name=value</c> ones.</summary>
    private Arguments ParseArguments()
    {
        var positional = new List<Expr>();
        var named = new List<KeyValuePair<string, Expr>>();
        while (!AcceptOperator(")"))
        {
            if (positional.Count + named.Count > 0)
                ExpectOperator(",");
            if (AcceptOperator(")"))
                break;
            if (Current.IsOperator("*") || Current.IsOperator("**"))
                throw Error("*args and **kwargs in calls are not supported");
            if (Current.Kind == TokenKind.Name && _tokens[_pos + 1].IsOperator("="))
            {
                var name = Next().Value;
                _pos++;
                named.Add(new(name, ParseExpression()));
            }
            else
            {
                if (named.Count > 0)
                    throw Error("positional argument after a keyword argument");
                positional.Add(ParseExpression());
            }
        }

        return new Arguments(positional, named);
    }

    /// <summary>Filters and tests after an operand, in any order: <c>x | f | g is defined</c>.</summary>
    private Expr ParseFilters(Expr expr)
    {
        while (true)
        {
            if (AcceptOperator("|"))
            {
                expr = ParseFilter(expr);
            }
            else if (AcceptName("is"))
            {
                expr = ParseTest(expr);
            }
            else if (AcceptOperator("("))
            {
                Enter();
                expr = new CallExpr(expr, ParseArguments());
                Leave();
            }
            else
            {
                return expr;
            }
        }
    }

    /// <summary>One filter after its pipe: <c>name</c> or <c>name(args)</c>, applied to <paramref name="target"/>.</summary>
    private FilterExpr ParseFilter(Expr target)
    {
        var name = ExpectName();
        while (AcceptOperator("."))
            name += "." + ExpectName();
        if (!Filters.Exists(name) && !_soft)
            throw Error($"No filter named '{name}'");
        var arguments = Arguments.None;
        if (AcceptOperator("("))
        {
            Enter();
            arguments = ParseArguments();
            Leave();
        }

        return new FilterExpr(target, name, arguments);
    }

    private TestExpr ParseTest(Expr expr)
    {
        var negated = AcceptName("not");
        var name = ExpectName();
        while (AcceptOperator("."))
            name += "." + ExpectName();
        if (!TestFunctions.Exists(name) && !_soft)
            throw Error($"No test named '{name}'");
        var arguments = Arguments.None;
        if (AcceptOperator("("))
        {
            Enter();
            arguments = ParseArguments();
            Leave();
        }
        else if (Current.Kind is TokenKind.Name or TokenKind.String or TokenKind.Integer or TokenKind.Float
                 || Current.IsOperator("(") || Current.IsOperator("[") || Current.IsOperator("{"))
        {
            if (!Current.IsName("else") && !Current.IsName("or") && !Current.IsName("and"))
            {
                if (Current.IsName("is"))
                    throw Error("You cannot chain multiple tests with is");
                arguments = new Arguments([ParsePostfix(ParsePrimary())], []);
            }
        }

        return new TestExpr(expr, name, arguments, negated);
    }
}
