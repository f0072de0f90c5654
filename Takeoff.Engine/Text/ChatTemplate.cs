using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LLama;
using LLama.Exceptions;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Text.Jinja.Errors;
using Takeoff.Engine.Text.Jinja.Runtime;
using Takeoff.Engine.Text.Jinja;
using Takeoff.Engine.Text.Tools;

namespace Takeoff.Engine.Text;

/// <summary>
/// Formats conversations with a model's own chat template, rendered by our Jinja engine (parsed once per model,
/// rendered per request) with the variables transformers gives it: <c>messages</c>, <c>tools</c>,
/// <c>add_generation_prompt</c>, <c>bos_token</c>, <c>eos_token</c>, <c>date_string</c> and <c>enable_thinking</c>.
/// Where the template comes from, first that applies: a <c>.jinja</c> file named by the models.json entry's
/// <c>chat_template</c> (relative to the models directory; it overrides the GGUF's, to fix a broken one), the GGUF's
/// <c>tokenizer.chat_template</c> (and its named <c>tokenizer.chat_template.tool_use</c> when tools are sent), a
/// llama.cpp template name in <c>chat_template</c> (rendered by llama.cpp, as before), else ChatML, as llama-server does.
/// </summary>
internal sealed class ChatTemplate
{
    /// <summary>The template a model without one gets (llama-server's default too).</summary>
    internal const string ChatMl =
        "{%- for message in messages -%}{{- '<|im_start|>' + message.role + '\n' + (message.content or '') + '<|im_end|>\n' -}}" +
        "{%- endfor -%}{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\n' -}}{%- endif -%}";

    private readonly Program? _main;
    private readonly Program? _toolUse;
    private readonly string? _llamaCppName;
    private readonly string _modelName;
    private readonly string _bos;
    private readonly string _eos;
    private readonly TimeProvider _time;
    private readonly JinjaRenderOptions _options;

    /// <param name="fallback">The models.json <c>chat_template</c>: a .jinja file or a llama.cpp template name.</param>
    /// <param name="modelsDirectory">Where a .jinja file named by <paramref name="fallback"/> is looked for.</param>
    public ChatTemplate(IReadOnlyDictionary<string, string> metadata, string modelName, string? fallback,
        string modelsDirectory, string bosToken, string eosToken, TimeProvider time)
    {
        _modelName = modelName;
        _bos = bosToken;
        _eos = eosToken;
        _time = time;
        _options = JinjaRenderOptions.Default with { Clock = time };
        metadata.TryGetValue("tokenizer.chat_template", out var gguf);
        metadata.TryGetValue("tokenizer.chat_template.tool_use", out var toolUse);
        if (fallback is not null && fallback.EndsWith(".jinja", StringComparison.OrdinalIgnoreCase))
        {
            var root = Path.GetFullPath(modelsDirectory);
            var path = Path.GetFullPath(Path.Combine(root, fallback));
            if (!path.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new Models.ModelFileException($"Model '{modelName}': its chat_template file '{fallback}' is outside the models directory.");
            string source;
            try
            {
                source = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new Models.ModelFileException($"Model '{modelName}': its chat_template file '{fallback}' cannot be read ({e.Message}).");
            }
            _main = Program.Parse(source, out var error)
                    ?? throw new Models.ModelFileException($"Model '{modelName}': its chat_template file '{fallback}' does not parse: {error}");
            Origin = fallback;
        }
        else if (!string.IsNullOrEmpty(gguf))
        {
            _main = Program.Parse(gguf, out var error);
            _toolUse = string.IsNullOrEmpty(toolUse) ? null : Program.Parse(toolUse, out _);
            Origin = _toolUse is null ? "gguf" : "gguf (+ tool_use)";
            // Served anyway: /generate without the template still works; each chat request is refused saying why.
            ParseError = _main is null
                ? $"The chat template in the GGUF of '{modelName}' does not parse ({error}); set \"chat_template\" in its models.json entry to a .jinja file that does."
                : null;
        }
        else if (fallback is not null)
        {
            _llamaCppName = fallback;
            Origin = $"llama.cpp: {fallback}";
        }
        else
        {
            _main = Program.Parse(ChatMl, out _)!;
            Origin = "chatml (default)";
            IsDefault = true;
        }
    }

    /// <summary>Where the template came from: "gguf", a .jinja file, "llama.cpp: name" or "chatml (default)".</summary>
    public string Origin { get; }

    /// <summary>The model had no template of its own and gets ChatML.</summary>
    public bool IsDefault { get; }

    private string? ParseError { get; }

    /// <summary>
    /// How an answer writes tool calls: the format the template teaches, or the generic
    /// JSON format when it knows nothing of tools (or teaches a format not recognized here).
    /// </summary>
    public ToolCallFormat ToolFormat => (_toolUse ?? _main) is { SupportsTools: true } program ? program.Format : ToolCallFormat.Generic;

    /// <summary>The conversation as one prompt string, without the beginning-of-sequence token (the tokenizer adds it).</summary>
    /// <exception cref="EngineException">The template raised or failed: a 400 on messages, carrying its message.</exception>
    public string Apply(IReadOnlyList<ChatMessage> conversation, bool addGenerationPrompt, ChatTools? tools = null)
    {
        // A last assistant turn is a prefill: the conversation before it with the assistant's turn opened, then its
        // text, which the answer continues (llama-server does the same).
        if (addGenerationPrompt && conversation is [.., { Role: "assistant", ToolCalls: null or [] } last])
            return Apply(conversation.Take(conversation.Count - 1).ToArray(), addGenerationPrompt: true, tools) + last.Content;

        var offered = tools is { Tools.Count: > 0 } && tools.Choice != ToolChoice.None ? tools : null;
        var program = offered is not null && _toolUse is not null ? _toolUse : _main;
        if (_llamaCppName is not null)
            return ApplyLlamaCpp(GenericToolFormat.Flatten(conversation, offered), addGenerationPrompt);
        if (program is null)
            throw EngineException.Invalid(EngineInput.Messages, ParseError ?? $"Model '{_modelName}' has no usable chat template.");

        var messages = program.SupportsTools ? conversation : GenericToolFormat.Flatten(conversation, offered);
        var variables = new JsonObject
        {
            ["messages"] = new JsonArray(messages.Select(MessageJson).ToArray<JsonNode?>()),
            ["add_generation_prompt"] = addGenerationPrompt,
            ["bos_token"] = _bos,
            ["eos_token"] = _eos,
            ["date_string"] = _time.GetLocalNow().ToString("dd MMM yyyy", CultureInfo.InvariantCulture),
            ["enable_thinking"] = true,
        };
        if (offered is not null && program.SupportsTools)
            variables["tools"] = new JsonArray(offered.Tools.Select(ToolJson).ToArray<JsonNode?>());
        string text;
        try
        {
            text = program.Template.Render(variables, _options);
        }
        catch (TemplateException e)
        {
            throw EngineException.Invalid(EngineInput.Messages, e.Kind == TemplateErrorKind.Raised
                ? e.Message
                : $"The chat template of '{_modelName}' failed: {e.Message}");
        }
        // The tokenizer adds the beginning-of-sequence token itself where the model wants one; templates that print
        // bos_token would otherwise make it two.
        return _bos.Length > 0 && text.StartsWith(_bos, StringComparison.Ordinal) ? text[_bos.Length..] : text;
    }

    private string ApplyLlamaCpp(IReadOnlyList<ChatMessage> conversation, bool addGenerationPrompt)
    {
        var template = new LLamaTemplate(_llamaCppName!) { AddAssistant = addGenerationPrompt };
        foreach (var message in conversation)
            template.Add(message.Role, message.Content ?? "");
        try
        {
            return Encoding.UTF8.GetString(template.Apply());
        }
        catch (MissingTemplateException)
        {
            throw EngineException.Invalid(EngineInput.Messages,
                $"llama.cpp does not know the chat template '{_llamaCppName}' of '{_modelName}'; set \"chat_template\" in its " +
                "models.json entry to a template it knows (e.g. \"chatml\") or to a .jinja file.");
        }
    }

    private static JsonObject MessageJson(ChatMessage message)
    {
        // OpenAI sends content null beside tool calls; many templates test or concatenate it as a string (as llama.cpp
        // finds by probing them), and "" renders the same in those that handle null.
        var json = new JsonObject { ["role"] = message.Role, ["content"] = message.Content ?? "" };
        if (message.ReasoningContent is not null)
            json["reasoning_content"] = message.ReasoningContent;
        if (message.ToolCalls is { Count: > 0 } calls)
        {
            json["tool_calls"] = new JsonArray(calls.Select(call => (JsonNode)new JsonObject
            {
                ["id"] = call.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = Arguments(call.Arguments) },
            }).ToArray());
        }
        if (message.ToolCallId is not null)
            json["tool_call_id"] = message.ToolCallId;
        if (message.Name is not null)
            json["name"] = message.Name;
        return json;
    }

    /// <summary>Templates expect the arguments as an object (they print them with tojson); OpenAI sends a JSON string.</summary>
    private static JsonNode? Arguments(string arguments)
    {
        try
        {
            return JsonNode.Parse(arguments) ?? new JsonObject();
        }
        catch (JsonException)
        {
            return arguments;
        }
    }

    internal static JsonObject ToolJson(ChatTool tool)
    {
        var function = new JsonObject { ["name"] = tool.Name };
        if (tool.Description is not null)
            function["description"] = tool.Description;
        function["parameters"] = tool.Parameters is { } parameters ? JsonNode.Parse(parameters.GetRawText()) : new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
        return new JsonObject { ["type"] = "function", ["function"] = function };
    }

    /// <summary>A parsed template and what its source says about tools.</summary>
    private sealed record Program(JinjaTemplate Template, bool SupportsTools, ToolCallFormat Format)
    {
        public static Program? Parse(string source, out string? error)
        {
            error = null;
            try
            {
                return new Program(JinjaTemplate.Parse(source), source.Contains("tools", StringComparison.Ordinal), Detect(source));
            }
            catch (TemplateException e)
            {
                error = e.Message;
                return null;
            }
        }

        private static ToolCallFormat Detect(string source) =>
            source.Contains("<tool_call>", StringComparison.Ordinal) ? ToolCallFormat.Hermes
            : source.Contains("[TOOL_CALLS]", StringComparison.Ordinal) ? ToolCallFormat.Mistral
            : source.Contains("<|python_tag|>", StringComparison.Ordinal)
              || source.Contains("<|start_header_id|>", StringComparison.Ordinal) && source.Contains("\"parameters\"", StringComparison.Ordinal)
                ? ToolCallFormat.Llama3
            : ToolCallFormat.Generic;
    }
}
