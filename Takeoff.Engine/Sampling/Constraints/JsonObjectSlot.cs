namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>One property position of an object grammar: its key-value rule, and whether it must, may, or may repeatedly appear.</summary>
internal sealed record JsonObjectSlot(string KeyValue, JsonObjectSlotKind Kind);
