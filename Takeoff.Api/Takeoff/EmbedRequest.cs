using System.ComponentModel.DataAnnotations;
using Takeoff.Api.Hosting;
using Takeoff.Api.Wire;
using Takeoff.Engine.Embedding;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Models;

namespace Takeoff.Api.Takeoff;

/// <summary>Body of <c>POST /embed</c>.</summary>
public sealed class EmbedRequest : IValidatableObject, IWireNames
{
    /// <summary>One text, or a list of texts embedded in order.</summary>
    [Required]
    public OneOrMany<string>? Text { get; set; }

    /// <summary>A group served by EMBEDDING readers (default "primary").</summary>
    /// <example>embed</example>
    public string? ConsumerGroup { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        InputValidation.TextAndGroup(Text, ConsumerGroup);

    public string? NameOf(EngineInput input) => input switch
    {
        EngineInput.Target => "consumer_group",
        EngineInput.Prompt => "text",
        _ => null,
    };

    public EmbeddingRequest ToEngineRequest() => new(
        Text!.Items.Select(text => (EmbeddingInput)new EmbeddingInput.Text(text)).ToArray(),
        ConsumerGroup ?? ModelEntry.DefaultConsumerGroup);
}

/// <summary>L2-normalized embeddings: one vector for one text, a list of vectors for a list.</summary>
public sealed record EmbedResponse(OneOrMany<float[]> Result);
