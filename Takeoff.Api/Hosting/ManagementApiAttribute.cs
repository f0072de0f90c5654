namespace Takeoff.Api.Hosting;

/// <summary>Marks a controller as part of the management API, served on the management port only.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ManagementApiAttribute : Attribute;
