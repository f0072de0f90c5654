using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Text.Tools;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// The grammar of a tool call (from the start when tool_choice forces one, from the call's opening with "auto"): the call syntax of the model's
/// format around one JSON object per call, <c>{"name": &lt;one of the tools&gt;, "arguments": &lt;its parameters
/// schema&gt;}</c>, converted by our JSON Schema converter, so the arguments always validate. Whitespace is bounded
/// everywhere (the converter's <c>space</c> rule, fixed literals around the calls) and parallel calls are capped,
/// so a forced call always completes and then only end-of-generation is allowed.
/// </summary>
internal static class ToolCallGrammar
{
    /// <summary>Calls one answer may hold when parallel calls are allowed.</summary>
    public const int MaxParallelCalls = 4;

    public static string ToGbnf(ToolCallFormat format, ChatTools tools)
    {
        var callable = tools.Callable;
        if (callable.Count == 0)
            throw EngineException.Invalid(EngineInput.ToolChoice, "tool_choice names a function that is not in tools.");
        var argumentsKey = format == ToolCallFormat.Llama3 ? "parameters" : "arguments";
        var defs = new JsonObject();
        var branches = new JsonArray();
        foreach (var tool in callable)
        {
            branches.Add(new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject
                {
                    ["name"] = new JsonObject { ["const"] = tool.Name },
                    [argumentsKey] = Parameters(tool, defs),
                },
                ["required"] = new JsonArray("name", argumentsKey),
                ["additionalProperties"] = false,
            });
        }
        var schema = new JsonObject { ["anyOf"] = branches };
        if (defs.Count > 0)
            schema["$defs"] = defs;
        string call;
        try
        {
            call = JsonSchemaGrammar.ToGbnf(JsonSerializer.Deserialize<JsonElement>(schema.ToJsonString()));
        }
        catch (ConstraintException e)
        {
            throw EngineException.Invalid(EngineInput.Tools, $"The tools' parameter schemas cannot be enforced together: {e.Message}");
        }

        // One optional space between JSON tokens (the converter allows a newline and 20 spaces of indentation, which a
        // weak model fills forever across several calls): a call is short, and every token it spends is the client's.
        call = System.Text.RegularExpressions.Regex.Replace(call, @"(?m)^space ::= .*$", "space ::= | \" \"");
        var callRule = FreeName(call, "tool-call");
        var rules = RenameRule(call, "root", callRule);
        var more = tools.Parallel && format != ToolCallFormat.Llama3 ? MaxParallelCalls - 1 : 0;
        string Repeat(string separator) => more == 0 ? "" : $" ( {separator} {callRule} ){{0,{more}}}";
        var root = format switch
        {
            ToolCallFormat.Hermes => $"\"<tool_call>\\n\" {callRule}{Repeat("\"\\n</tool_call>\\n<tool_call>\\n\"")} \"\\n</tool_call>\"",
            ToolCallFormat.Llama3 => callRule,
            ToolCallFormat.Mistral => $"\"[TOOL_CALLS][\" {callRule}{Repeat("\",\"")} \"]\"",
            _ => $"\"{{\\\"tool_calls\\\": [\" {callRule}{Repeat("\",\"")} \"]}}\"",
        };
        var gbnf = $"root ::= {root}\n{rules}";
        try
        {
            GbnfGrammar.Parse(gbnf);
        }
        catch (ConstraintException e)
        {
            throw EngineException.Invalid(EngineInput.Tools, $"The tools' call grammar is invalid: {e.Message}");
        }
        return gbnf;
    }

    /// <summary>
    /// A tool's parameters schema with its definitions moved to the combined schema's root (its local $refs point
    /// there). A schema the converter cannot enforce is refused under strict, else loosened to any object.
    /// </summary>
    private static JsonNode Parameters(ChatTool tool, JsonObject defs)
    {
        if (tool.Parameters is not { } parameters)
            return new JsonObject { ["type"] = "object" };
        try
        {
            JsonSchemaGrammar.ToGbnf(parameters);
        }
        catch (ConstraintException e)
        {
            if (tool.Strict)
            {
                var where = e.Keyword is { } keyword && !e.Message.Contains(keyword, StringComparison.Ordinal) ? $" (at {keyword})" : "";
                throw EngineException.Invalid(EngineInput.Tools,
                    $"The parameters of function '{tool.Name}' cannot be enforced with strict: {e.Message}{where}");
            }
            return new JsonObject { ["type"] = "object" };
        }
        var node = JsonNode.Parse(parameters.GetRawText())!;
        if (node is not JsonObject schema)
            return node;
        foreach (var key in new[] { "$defs", "definitions" })
        {
            if (schema[key] is not JsonObject local)
                continue;
            schema.Remove(key);
            foreach (var (name, definition) in local.ToArray())
            {
                if (defs[name] is { } existing && !JsonNode.DeepEquals(existing, definition))
                    throw EngineException.Invalid(EngineInput.Tools,
                        $"Two functions define '{name}' differently in their $defs; rename one to call them together.");
                defs[name] = definition?.DeepClone();
            }
        }
        // Definitions are all under $defs now.
        return JsonNode.Parse(schema.ToJsonString().Replace("\"#/definitions/", "\"#/$defs/", StringComparison.Ordinal))!;
    }

    private static string FreeName(string gbnf, string name)
    {
        var names = RuleNames(gbnf);
        var candidate = name;
        for (var i = 1; names.Contains(candidate); i++)
            candidate = $"{name}-{i}";
        return candidate;
    }

    private static HashSet<string> RuleNames(string gbnf)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        Rewrite(gbnf, word => { names.Add(word); return word; });
        return names;
    }

    /// <summary>Renames a rule, its definition and every reference, outside literals and character classes.</summary>
    internal static string RenameRule(string gbnf, string from, string to) => Rewrite(gbnf, word => word == from ? to : word);

    private static string Rewrite(string gbnf, Func<string, string> identifier)
    {
        var output = new StringBuilder(gbnf.Length + 64);
        for (var i = 0; i < gbnf.Length;)
        {
            var c = gbnf[i];
            if (c is '"' or '[')
            {
                var close = c == '"' ? '"' : ']';
                var start = i++;
                while (i < gbnf.Length && gbnf[i] != close)
                    i += gbnf[i] == '\\' ? 2 : 1;
                i = Math.Min(i + 1, gbnf.Length);
                output.Append(gbnf, start, i - start);
            }
            else if (c == '#')
            {
                var start = i;
                while (i < gbnf.Length && gbnf[i] != '\n')
                    i++;
                output.Append(gbnf, start, i - start);
            }
            else if (char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_')
            {
                var start = i;
                while (i < gbnf.Length && (char.IsAsciiLetterOrDigit(gbnf[i]) || gbnf[i] == '-' || gbnf[i] == '_'))
                    i++;
                var word = gbnf[start..i];
                output.Append(char.IsAsciiDigit(word[0]) ? word : identifier(word));
            }
            else
            {
                output.Append(c);
                i++;
            }
        }
        return output.ToString();
    }
}
