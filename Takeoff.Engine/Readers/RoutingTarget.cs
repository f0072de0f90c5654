namespace Takeoff.Engine.Readers;

/// <summary>A name a request can be routed by: a consumer group, or the name of a model some reader serves.</summary>
/// <param name="IsGroup">A consumer group (true) or a model name (false); a group wins when both share a name.</param>
public sealed record RoutingTarget(string Name, bool IsGroup);
