namespace Takeoff.Engine.Text.Jinja.Syntax;

/// <summary>Where a set stores: one name, several names to unpack into, or <c>ns.attribute</c>.</summary>
internal sealed record AssignTarget(IReadOnlyList<string> Names, string? Attribute);
