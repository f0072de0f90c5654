using System.Text;
using Takeoff.Engine.Text.Jinja.Errors;
using Takeoff.Engine.Text.Jinja.Syntax;

namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>
/// Walks the syntax tree once for one render, owning everything that render changes: the output, the frames, and
/// the counters the sandbox bounds (loop iterations, macro depth, output size). Not shared between renders.
/// </summary>
internal sealed class Renderer
{
    private readonly Stack<StringBuilder> _captures = new();
    private readonly Stack<string> _blockBodies = new();
    private StringBuilder _out = new();
    private Scope _scope;
    private long _iterations;
    private int _callDepth;

    public Renderer(JinjaRenderOptions options, Scope scope)
    {
        Options = options;
        _scope = scope;
    }

    public JinjaRenderOptions Options { get; }

    public string Render(IReadOnlyList<Stmt> body)
    {
        ExecBody(body);
        return _out.ToString();
    }

    public void CheckLength(long length)
    {
        if (length > Options.MaxOutputLength)
            throw new TemplateException(TemplateErrorKind.Limit, $"output grew past the limit of {Options.MaxOutputLength} characters");
    }

    private void Write(string text)
    {
        _out.Append(text);
        CheckLength(_out.Length);
    }

    private Flow ExecBody(IReadOnlyList<Stmt> body)
    {
        foreach (var stmt in body)
        {
            var flow = Exec(stmt);
            if (flow != Flow.Normal)
                return flow;
        }

        return Flow.Normal;
    }

    private Flow Exec(Stmt stmt)
    {
        Py.EnsureStack();
        switch (stmt)
        {
            case TextStmt text:
                Write(text.Text);
                break;
            case OutputStmt output:
                Write(Py.Str(Eval(output.Expr)));
                break;
            case IfStmt conditional:
                return ExecBody(Py.Truthy(Eval(conditional.Test)) ? conditional.Body : conditional.Else);
            case ForStmt loop:
                ExecFor(loop);
                break;
            case SetStmt set:
                Assign(set.Target, Eval(set.Value));
                break;
            case SetBlockStmt block:
                var captured = Capture(block.Body);
                Assign(block.Target, block.Filter is null ? captured : EvalOnBody(block.Filter, captured));
                break;
            case MacroStmt macro:
                _scope.Set(macro.Name, new MacroFunction(macro, _scope));
                break;
            case FilterBlockStmt filter:
                Write(Py.Str(EvalOnBody(filter.Filter, Capture(filter.Body))));
                break;
            case BreakStmt:
                return Flow.Break;
            case ContinueStmt:
                return Flow.Continue;
            default:
                throw new TemplateException(TemplateErrorKind.Runtime, $"unsupported statement {stmt.GetType().Name}");
        }

        return Flow.Normal;
    }

    private string Capture(IReadOnlyList<Stmt> body)
    {
        _captures.Push(_out);
        _out = new StringBuilder();
        try
        {
            ExecBody(body);
            return _out.ToString();
        }
        finally
        {
            _out = _captures.Pop();
        }
    }

    private object? EvalOnBody(Expr filter, string body)
    {
        _blockBodies.Push(body);
        try
        {
            return Eval(filter);
        }
        finally
        {
            _blockBodies.Pop();
        }
    }

    private void CountIteration()
    {
        if (++_iterations > Options.MaxLoopIterations)
            throw new TemplateException(TemplateErrorKind.Limit, $"more than {Options.MaxLoopIterations} loop iterations in one render");
    }

    private void ExecFor(ForStmt loop)
    {
        if (loop.Recursive)
            throw new TemplateException(TemplateErrorKind.Runtime, "recursive for loops are not supported");
        var outer = _scope;
        var items = new List<object?>();
        foreach (var item in Py.Iterate(Eval(loop.Iterable)))
        {
            CountIteration();
            if (loop.Filter is not null)
            {
                _scope = new Scope(outer);
                try
                {
                    Unpack(loop.Targets, item);
                    if (!Py.Truthy(Eval(loop.Filter)))
                        continue;
                }
                finally
                {
                    _scope = outer;
                }
            }

            items.Add(item);
        }

        if (items.Count == 0)
        {
            // The else block runs in the loop's own frame: what it sets does not outlive it either.
            _scope = new Scope(outer);
            try
            {
                ExecBody(loop.Else);
            }
            finally
            {
                _scope = outer;
            }

            return;
        }

        var context = new LoopContext(items, depth: 1);
        try
        {
            // Each item was counted once, above, when it was drawn from the iterable.
            for (var i = 0; i < items.Count; i++)
            {
                _scope = new Scope(outer);
                Unpack(loop.Targets, items[i]);
                context.Index0 = i;
                _scope.Set("loop", context);
                if (ExecBody(loop.Body) == Flow.Break)
                    break;
            }
        }
        finally
        {
            _scope = outer;
        }
    }

    private void Unpack(IReadOnlyList<string> names, object? value)
    {
        if (names.Count == 1)
        {
            _scope.Set(names[0], value);
            return;
        }

        var parts = Py.Iterate(value).ToList();
        if (parts.Count != names.Count)
            throw Py.TypeError(parts.Count > names.Count
                ? $"too many values to unpack (expected {names.Count})"
                : $"not enough values to unpack (expected {names.Count}, got {parts.Count})");
        for (var i = 0; i < names.Count; i++)
            _scope.Set(names[i], parts[i]);
    }

    private void Assign(AssignTarget target, object? value)
    {
        if (target.Attribute is null)
        {
            Unpack(target.Names, value);
            return;
        }

        if (Lookup(target.Names[0]) is not Namespace ns)
            throw new TemplateException(TemplateErrorKind.Runtime, "cannot assign attribute on non-namespace object");
        ns.Attributes[target.Attribute] = value;
    }

    private object? Lookup(string name) => _scope.TryGet(name, out var value) ? value : Undefined.ForName(name);

    public object? CallMacro(MacroStmt macro, Scope closure, CallArguments args)
    {
        if (_callDepth >= Options.MaxCallDepth)
            throw new TemplateException(TemplateErrorKind.Limit, $"macro calls nested deeper than {Options.MaxCallDepth}");
        var parameters = macro.Parameters;
        if (args.Positional.Count > parameters.Count && !macro.UsesVarargs)
            throw Py.TypeError($"macro '{macro.Name}' takes not more than {parameters.Count} argument(s)");

        var outer = _scope;
        _scope = new Scope(closure);
        _callDepth++;
        try
        {
            var kwargs = new PyDict();
            foreach (var (key, value) in args.Named)
            {
                if (parameters.Any(p => p.Name == key))
                    continue;
                if (!macro.UsesKwargs)
                    throw Py.TypeError($"macro '{macro.Name}' takes no keyword argument '{key}'");
                kwargs[key] = value;
            }

            for (var i = 0; i < parameters.Count; i++)
            {
                var parameter = parameters[i];
                object? value;
                if (i < args.Positional.Count)
                    value = args.Positional[i];
                else if (args.Named.Any(n => n.Key == parameter.Name))
                    value = args.Named.First(n => n.Key == parameter.Name).Value;
                else if (parameter.Default is not null)
                    value = Eval(parameter.Default);
                else
                    value = new Undefined($"parameter '{parameter.Name}' was not provided");
                _scope.Set(parameter.Name, value);
            }

            _scope.Set("varargs", args.Positional.Skip(parameters.Count).ToArray());
            _scope.Set("kwargs", kwargs);
            return Capture(macro.Body);
        }
        finally
        {
            _callDepth--;
            _scope = outer;
        }
    }

    private CallArguments EvalArguments(Arguments arguments) => arguments.Positional.Count == 0 && arguments.Named.Count == 0
        ? CallArguments.Empty
        : new CallArguments(
            [.. arguments.Positional.Select(Eval)],
            [.. arguments.Named.Select(n => new KeyValuePair<string, object?>(n.Key, Eval(n.Value)))]);

    public object? Eval(Expr expr)
    {
        Py.EnsureStack();
        switch (expr)
        {
            case LiteralExpr literal:
                return literal.Value;
            case NameExpr name:
                return Lookup(name.Name);
            case ListExpr list:
                return list.Items.Select(Eval).ToList();
            case TupleExpr tuple:
                return tuple.Items.Select(Eval).ToArray();
            case DictExpr dict:
                var result = new PyDict();
                foreach (var (key, value) in dict.Pairs)
                    result[PyDict.Key(Eval(key))] = Eval(value);
                return result;
            case AttributeExpr attribute:
                return Py.GetAttribute(Eval(attribute.Target), attribute.Name);
            case ItemExpr { Index: SliceExpr slice } item:
                var sliced = Eval(item.Target);
                return Py.Slice(sliced, Optional(slice.Start), Optional(slice.Stop), Optional(slice.Step));
            case ItemExpr item:
                return Py.GetItem(Eval(item.Target), Eval(item.Index));
            case CallExpr call:
                return Call(Eval(call.Callee), EvalArguments(call.Arguments));
            case FilterExpr filter:
                return Filters.Apply(this, filter.Name, Eval(filter.Target), EvalArguments(filter.Arguments));
            case TestExpr test:
                return TestFunctions.Apply(this, test.Name, Eval(test.Target), EvalArguments(test.Arguments)) != test.Negated;
            case UnaryExpr unary:
                var operand = Eval(unary.Operand);
                return unary.Operator switch
                {
                    "not" => !Py.Truthy(operand),
                    "-" => Arithmetic.Negate(operand),
                    _ => Arithmetic.Plus(operand),
                };
            case BinaryExpr binary:
                return EvalBinary(binary);
            case CompareExpr compare:
                return EvalCompare(compare);
            case ConditionalExpr conditional:
                if (Py.Truthy(Eval(conditional.Test)))
                    return Eval(conditional.Then);
                return conditional.Else is null
                    ? new Undefined("the inline if-expression evaluated to false and no else section was defined.")
                    : Eval(conditional.Else);
            case BlockBodyExpr:
                return _blockBodies.Peek();
            default:
                throw new TemplateException(TemplateErrorKind.Runtime, $"unsupported expression {expr.GetType().Name}");
        }
    }

    private object? Optional(Expr? expr) => expr is null ? null : Eval(expr);

    private object? EvalBinary(BinaryExpr binary)
    {
        var left = Eval(binary.Left);
        switch (binary.Operator)
        {
            case "and":
                return Py.Truthy(left) ? Eval(binary.Right) : left;
            case "or":
                return Py.Truthy(left) ? left : Eval(binary.Right);
            case "~":
                var text = Py.Str(left) + Py.Str(Eval(binary.Right));
                CheckLength(text.Length);
                return text;
            default:
                return Arithmetic.Binary(binary.Operator, left, Eval(binary.Right), Options.MaxOutputLength);
        }
    }

    private bool EvalCompare(CompareExpr compare)
    {
        var left = Eval(compare.Left);
        foreach (var (op, rightExpr) in compare.Operations)
        {
            var right = Eval(rightExpr);
            var holds = op switch
            {
                "==" => Py.Equal(left, right),
                "!=" => !Py.Equal(left, right),
                "in" => Py.Contains(right, left),
                "not in" => !Py.Contains(right, left),
                "<" => Py.Compare(left, right, op) < 0,
                "<=" => Py.Compare(left, right, op) <= 0,
                ">" => Py.Compare(left, right, op) > 0,
                _ => Py.Compare(left, right, op) >= 0,
            };
            if (!holds)
                return false;
            left = right;
        }

        return true;
    }

    private object? Call(object? callee, CallArguments args) => callee switch
    {
        Callable callable => callable.Invoke(this, args),
        Undefined undefined => throw undefined.Error(),
        _ => throw Py.TypeError($"'{Py.TypeName(callee)}' object is not callable"),
    };
}
