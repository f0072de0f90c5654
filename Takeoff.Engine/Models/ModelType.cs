namespace Takeoff.Engine.Models;

/// <summary>What a reader computes with its model.</summary>
public enum ModelType
{
    /// <summary>Text generation.</summary>
    Causal,

    /// <summary>One pooled, normalized embedding vector per input.</summary>
    Embedding,
}
