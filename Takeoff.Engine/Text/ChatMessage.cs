namespace Takeoff.Engine.Text;

/// <summary>One turn of a conversation: "system", "user" or "assistant", and what was said.</summary>
public sealed record ChatMessage(string Role, string Content);
