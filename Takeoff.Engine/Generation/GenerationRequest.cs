using Takeoff.Engine.Errors;
using Takeoff.Engine.Sampling;

namespace Takeoff.Engine.Generation;

/// <summary>
/// What to generate, in the engine's terms: one or more prompts, and for each the same number of choices, all
/// decoded together. Defaults are neutral (llama.cpp's); each API fills in its own.
/// </summary>
public sealed record GenerationRequest
{
    /// <summary>The prompts; choice <c>c</c> continues prompt <c>c / Choices</c>.</summary>
    public required IReadOnlyList<Prompt> Prompts { get; init; }

    /// <summary>A consumer group, or the name of a model a reader serves.</summary>
    public required string Target { get; init; }

    /// <summary>Choices per prompt, each its own sequence; with a seed, choice <c>i</c> of a prompt samples with seed + i.</summary>
    public int Choices { get; init; } = 1;

    public SamplingSettings Sampling { get; init; } = new();

    /// <summary>Most tokens to generate per choice; null generates until the context window is full.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>End-of-generation is suppressed until this many tokens were generated.</summary>
    public int MinTokens { get; init; }

    /// <summary>A longer prompt is cut to this many tokens, keeping its end; null keeps it whole.</summary>
    public int? PromptMaxTokens { get; init; }

    /// <summary>Generation ends where one of these appears in the text; the match is not returned.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>
    /// Added to these tokens' logits before sampling (OpenAI's logit_bias: -100 all but bans a token, 100 all but forces
    /// it); a constraint still has the last word.
    /// </summary>
    public IReadOnlyDictionary<int, float> LogitBias { get; init; } = new Dictionary<int, float>();

    /// <summary>Report each token's log-probability and this many most likely alternatives (0-20); null reports none.</summary>
    public int? Logprobs { get; init; }

    /// <summary>
    /// Reuse the cells a slot keeps from an earlier request whose prompt started the same way (llama-server's
    /// cache_prompt); greedy output is the same either way.
    /// </summary>
    public bool CachePrompt { get; init; } = true;

    /// <summary>What the output must be (JSON Schema, JSON object, regex, grammar); null leaves it free.</summary>
    public OutputConstraint? Constraint { get; init; }

    /// <summary>The caller's id for the request, written in the request log; never the prompt.</summary>
    public string? RequestId { get; init; }

    public const int MaxLogprobs = 20;

    /// <summary>Tokens one request may bias (OpenAI allows a few hundred; each costs a write per step).</summary>
    public const int MaxLogitBiases = 1024;

    /// <summary>Refuses what no model could serve; limits that depend on the model are checked when it is routed.</summary>
    internal void Validate()
    {
        if (Prompts.Count == 0)
            throw EngineException.Invalid(EngineInput.Prompt, "At least one prompt is needed.");
        if (Choices < 1)
            throw EngineException.Invalid(EngineInput.Choices, "At least one choice must be asked for.");
        if (MaxTokens is < 1)
            throw EngineException.Invalid(EngineInput.MaxTokens, "At least one token must be allowed.");
        if (MinTokens < 0)
            throw EngineException.Invalid(EngineInput.MinTokens, "The minimum number of tokens cannot be negative.");
        if (PromptMaxTokens is < 1)
            throw EngineException.Invalid(EngineInput.PromptMaxTokens, "A prompt must keep at least one token.");
        if (Logprobs is < 0 or > MaxLogprobs)
            throw EngineException.Invalid(EngineInput.Logprobs, $"Between 0 and {MaxLogprobs} alternatives per token can be reported.");
        if (LogitBias.Count > MaxLogitBiases)
            throw EngineException.Invalid(EngineInput.LogitBias, $"At most {MaxLogitBiases} tokens can be biased.");
        if (LogitBias.Values.Any(bias => !float.IsFinite(bias) || bias is < -100 or > 100))
            throw EngineException.Invalid(EngineInput.LogitBias, "A logit bias is between -100 and 100.");
        if (StopSequences.Any(string.IsNullOrEmpty))
            throw EngineException.Invalid(EngineInput.StopSequences, "A stop sequence cannot be empty.");
        foreach (var prompt in Prompts)
        {
            if (prompt is Prompt.Chat { Messages.Count: 0 })
                throw EngineException.Invalid(EngineInput.Messages, "A conversation needs at least one message.");
        }
        Sampling.Validate();
    }
}
