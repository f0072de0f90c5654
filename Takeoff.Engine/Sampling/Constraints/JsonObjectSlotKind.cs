namespace Takeoff.Engine.Sampling.Constraints;

internal enum JsonObjectSlotKind
{
    Required,
    Optional,

    /// <summary>Additional properties: any number of them, after the declared ones.</summary>
    Repeated,
}
