namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// One property position of an object grammar: its key-value rule, and whether it must, may, or may repeatedly
/// appear. Objects with many members (see JsonObjectGrammar) use the key's JSON text and the value's symbol
/// instead, and have no key-value rule (null); the repeated slot (additional properties) always has its rule.
/// </summary>
internal sealed record JsonObjectSlot(string? KeyValue, JsonObjectSlotKind Kind, string? Key = null, string? Value = null);
