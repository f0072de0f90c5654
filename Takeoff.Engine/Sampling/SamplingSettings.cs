using Takeoff.Engine.Errors;

namespace Takeoff.Engine.Sampling;

/// <summary>How one choice picks its next token. The defaults filter nothing: temperature 1 over the whole vocabulary.</summary>
public sealed record SamplingSettings
{
    /// <summary>Softmax temperature; 0 is greedy.</summary>
    public float Temperature { get; init; } = 1.0f;

    /// <summary>Keep only the k most likely tokens; 1 is greedy, 0 disables the filter.</summary>
    public int TopK { get; init; }

    /// <summary>Keep the smallest set of tokens whose probability reaches p; 1 disables the filter.</summary>
    public float TopP { get; init; } = 1.0f;

    /// <summary>Drop tokens less likely than this fraction of the most likely one; 0 disables the filter.</summary>
    public float MinP { get; init; }

    /// <summary>Hugging Face-style penalty on every token already in the sequence, prompt included; 1 is off.</summary>
    public float RepetitionPenalty { get; init; } = 1.0f;

    /// <summary>Subtracted from the logit of every token already present, as in OpenAI's API; 0 is off.</summary>
    public float PresencePenalty { get; init; }

    /// <summary>Subtracted from a token's logit once per occurrence, as in OpenAI's API; 0 is off.</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>No n-gram of this size may occur twice in the generated text; 0 is off.</summary>
    public int NoRepeatNgramSize { get; init; }

    /// <summary>Seed of the random draw; null draws a fresh one.</summary>
    public uint? Seed { get; init; }

    public bool IsGreedy => TopK == 1 || Temperature == 0;

    /// <summary>Greedy with nothing that changes logits first: the answer is the first token of highest logit.</summary>
    internal bool IsArgmax => IsGreedy && !HasPenalties;

    internal bool HasPenalties => RepetitionPenalty != 1.0f || PresencePenalty != 0 || FrequencyPenalty != 0;

    internal void Validate()
    {
        Check(float.IsFinite(Temperature) && Temperature >= 0, EngineInput.Temperature, "The temperature must be 0 or more.");
        Check(TopK >= 0, EngineInput.TopK, "top-k must be 0 (off) or more.");
        Check(TopP is >= 0 and <= 1, EngineInput.TopP, "top-p must be in [0, 1] (1 is off; 0 keeps only the most likely token).");
        Check(MinP is >= 0 and <= 1, EngineInput.MinP, "min-p must be in [0, 1].");
        Check(float.IsFinite(RepetitionPenalty) && RepetitionPenalty > 0, EngineInput.RepetitionPenalty,
            "The repetition penalty must be above 0 (1 is off).");
        Check(PresencePenalty is >= -2 and <= 2, EngineInput.PresencePenalty, "The presence penalty must be in [-2, 2].");
        Check(FrequencyPenalty is >= -2 and <= 2, EngineInput.FrequencyPenalty, "The frequency penalty must be in [-2, 2].");
        Check(NoRepeatNgramSize >= 0, EngineInput.NoRepeatNgramSize, "The no-repeat n-gram size must be 0 (off) or more.");
    }

    private static void Check(bool holds, EngineInput input, string message)
    {
        if (!holds)
            throw EngineException.Invalid(input, message);
    }
}
