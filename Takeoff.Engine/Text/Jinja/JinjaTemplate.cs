using System.Text.Json.Nodes;
using Takeoff.Engine.Text.Jinja.Errors;
using Takeoff.Engine.Text.Jinja.Runtime;
using Takeoff.Engine.Text.Jinja.Syntax;

namespace Takeoff.Engine.Text.Jinja;

/// <summary>
/// A chat template parsed once (per model) and rendered per request, with the semantics of Hugging Face
/// transformers' Jinja2 environment: <c>ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)</c> with
/// loop controls, its <c>tojson</c>, <c>raise_exception</c> and <c>strftime_now</c>. Sandboxed: templates see only the
/// values they are given (no .NET objects), and every render is bounded by <see cref="JinjaRenderOptions"/>.
/// A parsed template is immutable, so one instance may render on many threads at once.
/// </summary>
public sealed class JinjaTemplate
{
    private static readonly Scope Globals = CreateGlobals();

    private readonly IReadOnlyList<Stmt> _body;

    private JinjaTemplate(IReadOnlyList<Stmt> body) => _body = body;

    /// <exception cref="TemplateException">The source is not a valid template (or nests past the parser's bound).</exception>
    public static JinjaTemplate Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            return new JinjaTemplate(Parser.Parse(source));
        }
        catch (Exception e) when (IsEngineSlip(e))
        {
            throw new TemplateException(TemplateErrorKind.Syntax, e.Message, e);
        }
    }

    /// <summary>
    /// Renders with the given variables, typically <c>messages</c>, <c>tools</c>, <c>add_generation_prompt</c>,
    /// <c>bos_token</c>, <c>eos_token</c> and any extra keyword (<c>enable_thinking</c>, ...).
    /// </summary>
    /// <exception cref="TemplateException">The template failed, raised, or reached a sandbox limit.</exception>
    public string Render(JsonObject variables, JinjaRenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var scope = new Scope(Globals);
        foreach (var (name, value) in variables)
            scope.Set(name, JsonValues.From(value));
        var renderer = new Renderer(options ?? JinjaRenderOptions.Default, scope);
        try
        {
            return renderer.Render(_body);
        }
        catch (Exception e) when (IsEngineSlip(e))
        {
            throw new TemplateException(TemplateErrorKind.Runtime, e.Message, e);
        }
    }

    /// <summary>
    /// A case this engine failed to word as Jinja2 would (a value of a type an operation does not take, an index past
    /// an end): still a template error for the caller, never an engine crash. Random token soup and 20,000 random
    /// expressions have not produced one; this is the net under them.
    /// </summary>
    private static bool IsEngineSlip(Exception e) => e is InvalidCastException or ArgumentException or InvalidOperationException
        or IndexOutOfRangeException or FormatException or OverflowException or KeyNotFoundException;

    private static Scope CreateGlobals()
    {
        var scope = new Scope(null);
        foreach (var (name, function) in Runtime.Globals.All())
            scope.Set(name, function);
        return scope;
    }
}
