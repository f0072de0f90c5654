namespace Takeoff.Engine.Sampling;

/// <summary>How one request picks its next token. Defaults are Takeoff's: greedy, no penalties.</summary>
public sealed record SamplingSettings
{
    public float Temperature { get; init; } = 1.0f;

    /// <summary>Keep only the k most likely tokens; 1 is greedy, 0 disables the filter.</summary>
    public int TopK { get; init; } = 1;

    /// <summary>Keep the smallest set of tokens whose probability reaches p; 1 disables the filter.</summary>
    public float TopP { get; init; } = 1.0f;

    /// <summary>Hugging Face-style penalty on every token already in the sequence; 1 is off.</summary>
    public float RepetitionPenalty { get; init; } = 1.0f;

    /// <summary>No n-gram of this size may occur twice in the generated text; 0 is off.</summary>
    public int NoRepeatNgramSize { get; init; }

    /// <summary>Seed of the random draw; null draws a fresh one.</summary>
    public uint? Seed { get; init; }

    public bool IsGreedy => TopK == 1 || Temperature == 0;
}
