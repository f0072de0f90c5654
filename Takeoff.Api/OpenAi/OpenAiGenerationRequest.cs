using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using Takeoff.Api.Hosting;
using Takeoff.Api.Wire;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Models;
using Takeoff.Engine.Sampling;

namespace Takeoff.Api.OpenAi;

/// <summary>
/// The fields /v1/chat/completions and /v1/completions share: routing, sampling, stop sequences, choices,
/// streaming. Unknown keys are ignored; fields this server cannot honour are refused with a 400 naming them.
/// </summary>
public abstract class OpenAiGenerationRequest : IValidatableObject, IWireNames
{
    /// <summary>A consumer group or a model name (see GET /v1/models); default "primary".</summary>
    /// <example>primary</example>
    public string? Model { get; set; }

    /// <summary>Softmax temperature (default 1); 0 is greedy.</summary>
    /// <example>0.7</example>
    [Range(0.0, 2.0)]
    public float? Temperature { get; set; }

    /// <summary>Nucleus sampling threshold (default 1: off).</summary>
    [Range(0.0, 1.0)]
    public float? TopP { get; set; }

    /// <summary>Extension: sample among the k most likely tokens (default 0: off; 1 is greedy).</summary>
    [Range(0, int.MaxValue)]
    public int? TopK { get; set; }

    /// <summary>Extension: drop tokens less likely than this fraction of the most likely one (default 0: off).</summary>
    [Range(0.0, 1.0)]
    public float? MinP { get; set; }

    /// <summary>Penalty on tokens already present, once each (default 0).</summary>
    [Range(-2.0, 2.0)]
    public float? PresencePenalty { get; set; }

    /// <summary>Penalty on tokens already present, per occurrence (default 0).</summary>
    [Range(-2.0, 2.0)]
    public float? FrequencyPenalty { get; set; }

    /// <summary>Extension: Hugging Face-style repetition penalty (default 1: off).</summary>
    [Range(0.0, 100.0, MinimumIsExclusive = true)]
    public float? RepetitionPenalty { get; set; }

    /// <summary>Seed of the sampling draw; choice i samples with seed + i.</summary>
    public long? Seed { get; set; }

    /// <summary>Up to 16 sequences where generation stops; the match is not returned (finish_reason "stop").</summary>
    public OneOrMany<string>? Stop { get; set; }

    /// <summary>Choices per prompt (default 1), decoded together; at most the model's batch size.</summary>
    [Range(1, 1024)]
    public int? N { get; set; }

    /// <summary>Extension (as vLLM): end-of-generation is suppressed until this many tokens exist.</summary>
    [Range(0, 1_000_000)]
    public int? MinTokens { get; set; }

    /// <summary>Extension (as llama-server): reuse the cached prefix of an earlier prompt (default true).</summary>
    public bool? CachePrompt { get; set; }

    /// <summary>Stream the answer as server-sent events, ending with <c>data: [DONE]</c>.</summary>
    public bool? Stream { get; set; }

    public StreamOptions? StreamOptions { get; set; }

    /// <summary>A stream ends with a chunk carrying the request's usage.</summary>
    internal bool IncludeUsage => StreamOptions?.IncludeUsage == true;

    /// <summary>Accepted and ignored.</summary>
    public string? User { get; set; }

    /// <summary>
    /// Token id (as a string) → a bias from -100 to 100 added to that token's logit before sampling: -100 all but bans
    /// the token, 100 all but forces it. At most 1,024 tokens.
    /// </summary>
    public Dictionary<string, float>? LogitBias { get; set; }

    /// <summary>
    /// {"type": "text"} (default), {"type": "json_object"} (any JSON object), or {"type": "json_schema", "json_schema":
    /// {"name", "schema", "strict"}}: the output is then guaranteed to parse (when it ends by itself).
    /// </summary>
    public ResponseFormat? ResponseFormat { get; set; }

    /// <summary>Extension (as llama-server): the output follows this GBNF grammar.</summary>
    public string? Grammar { get; set; }

    /// <summary>Extension (as llama-server): the output is valid against this JSON Schema.</summary>
    public JsonElement? JsonSchema { get; set; }

    public virtual IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Model is { Length: 0 })
            yield return new ValidationResult("model must not be empty.", ["model"]);
        if (InputValidation.StopSequences(Stop?.Items) is { } stop)
            yield return stop;
        if (LogitBias?.Keys.FirstOrDefault(key => !int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _)) is { } key)
            yield return new ValidationResult($"logit_bias keys are token ids; '{key}' is not one.", ["logit_bias"]);
        if (ResponseFormat?.Problem() is { } format)
            yield return new ValidationResult(format, ["response_format"]);
        var constraints = new[] { ResponseFormat?.Constraint() is not null, Grammar is not null, JsonSchema is { ValueKind: not JsonValueKind.Null } };
        if (constraints.Count(sent => sent) > 1)
            yield return new ValidationResult("Send one of response_format (json_object or json_schema), grammar and json_schema.",
                [Grammar is not null ? "grammar" : "json_schema"]);
        if (JsonSchema is { ValueKind: not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.Null) })
            yield return new ValidationResult("json_schema must be a JSON Schema object.", ["json_schema"]);
    }

    /// <summary>The fields both endpoints read, by the names the client sent; each endpoint adds its prompt, limit and logprobs.</summary>
    public virtual string? NameOf(EngineInput input) => input switch
    {
        EngineInput.Target => "model",
        EngineInput.StopSequences => "stop",
        EngineInput.Choices => "n",
        EngineInput.LogitBias => "logit_bias",
        EngineInput.MinTokens => "min_tokens",
        EngineInput.Temperature => "temperature",
        EngineInput.TopK => "top_k",
        EngineInput.TopP => "top_p",
        EngineInput.MinP => "min_p",
        EngineInput.RepetitionPenalty => "repetition_penalty",
        EngineInput.PresencePenalty => "presence_penalty",
        EngineInput.FrequencyPenalty => "frequency_penalty",
        // The constraint came from one of three fields (validation lets only one through): the one that was sent.
        EngineInput.Grammar => "grammar",
        EngineInput.JsonSchema => JsonSchema is { ValueKind: not JsonValueKind.Null } ? "json_schema" : "response_format",
        _ => null,
    };

    /// <summary>The engine's request with OpenAI's defaults: temperature 1, no filters, no penalties, one choice.</summary>
    protected GenerationRequest ToEngineRequest(IReadOnlyList<Prompt> prompts, int? maxTokens, int? logprobs) => new()
    {
        Prompts = prompts,
        Target = Model ?? ModelEntry.DefaultConsumerGroup,
        Choices = N ?? 1,
        Sampling = new SamplingSettings
        {
            Temperature = Temperature ?? 1.0f,
            TopP = TopP ?? 1.0f,
            TopK = TopK ?? 0,
            MinP = MinP ?? 0,
            PresencePenalty = PresencePenalty ?? 0,
            FrequencyPenalty = FrequencyPenalty ?? 0,
            RepetitionPenalty = RepetitionPenalty ?? 1.0f,
            Seed = Seed is { } seed ? unchecked((uint)seed) : null,
        },
        MaxTokens = maxTokens,
        LogitBias = LogitBias?.ToDictionary(bias => int.Parse(bias.Key, CultureInfo.InvariantCulture), bias => bias.Value) ?? [],
        MinTokens = MinTokens ?? 0,
        StopSequences = Stop?.Items ?? [],
        Logprobs = logprobs,
        CachePrompt = CachePrompt ?? true,
        Constraint = Grammar is not null ? new OutputConstraint.Grammar(Grammar)
            : JsonSchema is { ValueKind: not JsonValueKind.Null } schema ? new OutputConstraint.JsonSchema(schema)
            : ResponseFormat?.Constraint(),
    };
}

/// <summary>Streaming options.</summary>
public sealed class StreamOptions
{
    /// <summary>Send a last chunk with empty choices and the usage of the whole request.</summary>
    public bool? IncludeUsage { get; set; }
}
