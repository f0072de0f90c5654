using System.ComponentModel.DataAnnotations;
using Takeoff.Api.Hosting;
using Takeoff.Engine.Embedding;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Models;

namespace Takeoff.Api.OpenAi;

/// <summary>Body of <c>POST /v1/embeddings</c>.</summary>
public sealed class EmbeddingsRequest : IValidatableObject, IWireNames
{
    /// <summary>A string, a list of strings, a list of token ids, or a list of such lists.</summary>
    /// <example>The quick brown fox</example>
    [Required]
    public EmbeddingsInput? Input { get; set; }

    /// <summary>A consumer group or model name served by EMBEDDING readers; default "primary".</summary>
    /// <example>embed</example>
    public string? Model { get; set; }

    /// <summary>"float" (default) or "base64" (little-endian float32, as OpenAI sends it).</summary>
    public string? EncodingFormat { get; set; }

    /// <summary>Not supported: a model's embeddings have its own size.</summary>
    public int? Dimensions { get; set; }

    /// <summary>Accepted and ignored.</summary>
    public string? User { get; set; }

    public bool Base64 => EncodingFormat == "base64";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Input is { Items.Count: 0 })
            yield return new ValidationResult("input must not be empty.", ["input"]);
        else if (Input?.Items.Any(i => i is EmbeddingInput.Text { Value.Length: 0 } or EmbeddingInput.Tokens { Ids.Count: 0 }) == true)
            yield return new ValidationResult("input must not hold an empty string or an empty token list.", ["input"]);
        if (EncodingFormat is not (null or "float" or "base64"))
            yield return new ValidationResult("encoding_format must be \"float\" or \"base64\".", ["encoding_format"]);
        if (Dimensions is not null)
            yield return Unsupported.Field("dimensions", "embeddings have the model's own size");
        if (Model is { Length: 0 })
            yield return new ValidationResult("model must not be empty.", ["model"]);
    }

    public string? NameOf(EngineInput input) => input switch
    {
        EngineInput.Target => "model",
        EngineInput.Prompt or EngineInput.Tokens => "input",
        _ => null,
    };

    public EmbeddingRequest ToEngineRequest() => new(Input!.Items, Model ?? ModelEntry.DefaultConsumerGroup);
}
