using System.ComponentModel.DataAnnotations;
using Takeoff.Api.Wire;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Generation;
using EnginePrompt = Takeoff.Engine.Generation.Prompt;

namespace Takeoff.Api.OpenAi;

/// <summary>Body of <c>POST /v1/completions</c>: raw text completion, no chat template.</summary>
public sealed class CompletionRequest : OpenAiGenerationRequest
{
    /// <summary>A prompt, or a list of prompts (each gets n choices; choice index = prompt index × n + i).</summary>
    /// <example>Once upon a time</example>
    [Required]
    public OneOrMany<string>? Prompt { get; set; }

    /// <summary>Most tokens to generate per choice (default 16, as OpenAI).</summary>
    /// <example>64</example>
    [Range(1, 1_000_000)]
    public int? MaxTokens { get; set; }

    /// <summary>Return the log-probability of each token and this many most likely alternatives (0-20).</summary>
    [Range(0, GenerationRequest.MaxLogprobs)]
    public int? Logprobs { get; set; }

    /// <summary>Not supported: true is refused.</summary>
    public bool? Echo { get; set; }

    /// <summary>Not supported: insertion (a suffix) is refused.</summary>
    public string? Suffix { get; set; }

    /// <summary>Not supported above 1.</summary>
    public int? BestOf { get; set; }

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var error in base.Validate(validationContext))
            yield return error;
        if (Prompt is { Items.Count: 0 })
            yield return new ValidationResult("prompt must not be an empty list.", ["prompt"]);
        if (Echo == true)
            yield return Unsupported.Field("echo", "the prompt is not returned with the answer");
        if (!string.IsNullOrEmpty(Suffix))
            yield return Unsupported.Field("suffix", "insertion is not implemented");
        if (BestOf is > 1)
            yield return Unsupported.Field("best_of", "send n instead and pick yourself");
    }

    public override string? NameOf(EngineInput input) => input switch
    {
        EngineInput.Prompt => "prompt",
        EngineInput.MaxTokens => "max_tokens",
        EngineInput.Logprobs => "logprobs",
        _ => base.NameOf(input),
    };

    /// <summary>OpenAI's completions default: 16 new tokens.</summary>
    public GenerationRequest ToEngineRequest() => ToEngineRequest(
        Prompt!.Items.Select(text => (EnginePrompt)new EnginePrompt.Text(text)).ToArray(),
        MaxTokens ?? 16,
        Logprobs);
}
