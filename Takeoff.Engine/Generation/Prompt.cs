using Takeoff.Engine.Text;

namespace Takeoff.Engine.Generation;

/// <summary>What a choice continues: plain text, or a conversation that the model's chat template turns into text.</summary>
public abstract record Prompt
{
    private Prompt()
    {
    }

    /// <summary>Text the model continues as it is (a beginning-of-sequence token is put in front).</summary>
    public sealed record Text(string Value) : Prompt;

    /// <summary>A conversation, formatted by the model's chat template with the assistant's turn opened.</summary>
    public sealed record Chat(IReadOnlyList<ChatMessage> Messages) : Prompt;
}
