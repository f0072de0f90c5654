namespace Takeoff.Engine.Models;

/// <summary>What a reader computes with its model.</summary>
public enum ModelType
{
    /// <summary>Text generation (/generate, /generate_stream).</summary>
    Causal,

    /// <summary>One pooled, normalized embedding vector per input (/embed).</summary>
    Embedding,
}

public static class ModelTypeNames
{
    /// <summary>The name clients and models.json use: "CAUSAL" or "EMBEDDING".</summary>
    public static string ToWireName(this ModelType type) => type.ToString().ToUpperInvariant();
}
