namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>How a statement ended: normally, or by break / continue travelling up to the nearest loop.</summary>
internal enum Flow
{
    Normal,
    Break,
    Continue,
}
