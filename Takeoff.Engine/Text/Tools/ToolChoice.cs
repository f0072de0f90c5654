namespace Takeoff.Engine.Text.Tools;

/// <summary>Whether the model may, must, or must not call a tool (OpenAI's tool_choice).</summary>
public abstract record ToolChoice
{
    private ToolChoice()
    {
    }

    public static ToolChoice None { get; } = new Mode("none");

    public static ToolChoice Auto { get; } = new Mode("auto");

    public static ToolChoice Required { get; } = new Mode("required");

    /// <summary>"none", "auto" or "required".</summary>
    public sealed record Mode(string Name) : ToolChoice;

    /// <summary>This function must be called.</summary>
    public sealed record Named(string Name) : ToolChoice;

    /// <summary>The answer must be a call (required or a named function), so its output is constrained by a grammar.</summary>
    public bool IsForced => this is Named || this == Required;
}
