namespace Takeoff.Engine.Text.Tools;

/// <summary>The tools a conversation offers and how they may be used.</summary>
/// <param name="Parallel">More than one call per answer (OpenAI's parallel_tool_calls, default true).</param>
public sealed record ChatTools(IReadOnlyList<ChatTool> Tools, ToolChoice Choice, bool Parallel = true)
{
    /// <summary>The functions the answer may call: all of them, or the named one.</summary>
    public IReadOnlyList<ChatTool> Callable => Choice is ToolChoice.Named named
        ? Tools.Where(t => t.Name == named.Name).ToArray()
        : Tools;
}
