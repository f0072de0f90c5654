namespace Takeoff.Engine.Text.Tools;

/// <summary>One call of a function: its id, its name and its arguments as JSON text (OpenAI's wire form).</summary>
public sealed record ChatToolCall(string Id, string Name, string Arguments);
