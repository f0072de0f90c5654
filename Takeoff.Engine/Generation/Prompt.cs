using Takeoff.Engine.Text;
using Takeoff.Engine.Text.Tools;

namespace Takeoff.Engine.Generation;

/// <summary>What a choice continues: plain text, or a conversation that the model's chat template turns into text.</summary>
public abstract record Prompt
{
    private Prompt()
    {
    }

    /// <summary>Text the model continues as it is (a beginning-of-sequence token is put in front).</summary>
    public sealed record Text(string Value) : Prompt;

    /// <summary>
    /// A conversation, formatted by the model's chat template with the assistant's turn opened; a last assistant
    /// message is a prefill that the answer continues.
    /// </summary>
    public sealed record Chat(IReadOnlyList<ChatMessage> Messages) : Prompt
    {
        /// <summary>Functions the model may call, and whether it must; null offers none.</summary>
        public ChatTools? Tools { get; init; }

        /// <summary>The text of a last assistant message, which the answer continues; empty when there is none.</summary>
        public string Prefill => Messages is [.., { Role: "assistant", ToolCalls: null or [] } last] ? last.Content ?? "" : "";
    }
}
