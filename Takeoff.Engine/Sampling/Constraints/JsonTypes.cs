namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>The seven JSON Schema types, as a set.</summary>
[Flags]
internal enum JsonTypes
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Object = 4,
    Array = 8,
    String = 16,
    Number = 32,
    Integer = 64,
    All = Null | Boolean | Object | Array | String | Number | Integer,
}
