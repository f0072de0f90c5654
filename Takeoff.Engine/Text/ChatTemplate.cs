using System.Text;
using LLama;
using LLama.Exceptions;
using Takeoff.Engine.Generation;

namespace Takeoff.Engine.Text;

/// <summary>
/// Formats conversations with a model's chat template through llama.cpp: the template in the GGUF, else the
/// named fallback from models.json (<c>chat_template</c>, e.g. "chatml").
/// </summary>
public sealed class ChatTemplate
{
    private readonly string? _template;
    private readonly string _modelName;

    public ChatTemplate(LLamaWeights weights, string modelName, string? fallback)
    {
        _template = weights.NativeHandle.GetTemplate(strict: false) ?? fallback;
        _modelName = modelName;
    }

    public bool Available => _template is not null;

    /// <param name="field">The request field to name when the model has no usable template.</param>
    public string Apply(IReadOnlyList<ChatMessage> conversation, bool addGenerationPrompt, string field)
    {
        if (_template is null)
            throw new EngineException(EngineError.InvalidArgument,
                $"Model '{_modelName}' has no chat template in its GGUF file, and its models.json entry sets no " +
                "\"chat_template\" (a llama.cpp template name such as \"chatml\"); send the prompt already formatted.", field);

        var template = new LLamaTemplate(_template) { AddAssistant = addGenerationPrompt };
        foreach (var message in conversation)
            template.Add(message.Role, message.Content);
        try
        {
            return Encoding.UTF8.GetString(template.Apply());
        }
        catch (MissingTemplateException)
        {
            throw new EngineException(EngineError.InvalidArgument,
                $"llama.cpp does not support the chat template of '{_modelName}'; set \"chat_template\" in its " +
                "models.json entry to a template it knows (e.g. \"chatml\").", field);
        }
    }
}
