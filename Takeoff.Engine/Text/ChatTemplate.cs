using System.Text;
using LLama;
using LLama.Exceptions;
using Takeoff.Engine.Generation;

namespace Takeoff.Engine.Text;

/// <summary>
/// Formats conversations with a model's chat template through llama.cpp: the template in the GGUF, else the
/// named fallback of its models.json entry (e.g. "chatml").
/// </summary>
internal sealed class ChatTemplate(LLamaWeights weights, string modelName, string? fallback)
{
    private readonly string? _template = weights.NativeHandle.GetTemplate(strict: false) ?? fallback;

    public string Apply(IReadOnlyList<ChatMessage> conversation, bool addGenerationPrompt)
    {
        if (_template is null)
            throw EngineException.Invalid(EngineInput.Messages,
                $"Model '{modelName}' has no chat template in its GGUF file, and its models.json entry sets no " +
                "\"chat_template\" (a llama.cpp template name such as \"chatml\"); send the prompt already formatted.");

        var template = new LLamaTemplate(_template) { AddAssistant = addGenerationPrompt };
        foreach (var message in conversation)
            template.Add(message.Role, message.Content);
        try
        {
            return Encoding.UTF8.GetString(template.Apply());
        }
        catch (MissingTemplateException)
        {
            throw EngineException.Invalid(EngineInput.Messages,
                $"llama.cpp does not support the chat template of '{modelName}'; set \"chat_template\" in its " +
                "models.json entry to a template it knows (e.g. \"chatml\").");
        }
    }
}
