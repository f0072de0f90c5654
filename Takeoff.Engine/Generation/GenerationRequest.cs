using Takeoff.Engine.Sampling;

namespace Takeoff.Engine.Generation;

/// <summary>One prompt to complete, as the engine sees it: plain typed data, no wire names.</summary>
public sealed record GenerationRequest
{
    public required string Prompt { get; init; }

    public SamplingSettings Sampling { get; init; } = new();

    public int MaxNewTokens { get; init; } = 128;

    /// <summary>End-of-generation is suppressed until this many tokens were generated.</summary>
    public int MinNewTokens { get; init; }

    /// <summary>A longer prompt is cut to this many tokens, keeping its end; null keeps it whole.</summary>
    public int? PromptMaxTokens { get; init; }

    public string ConsumerGroup { get; init; } = "primary";

    /// <summary>Wrap the prompt as one user turn in the model's chat template (with the assistant's turn opened).</summary>
    public bool UseChatTemplate { get; init; }
}
