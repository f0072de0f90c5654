using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Takeoff.Api.Hosting;
using Takeoff.Api.Wire;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Models;
using Takeoff.Engine.Sampling;
using Takeoff.Engine.Text;

namespace Takeoff.Api.Takeoff;

/// <summary>
/// Body of <c>POST /generate</c> and <c>POST /generate_stream</c>. Every parameter is optional, and JSON null
/// means "use the default"; unknown keys are ignored. Both Takeoff name generations are accepted.
/// </summary>
public sealed class GenerateRequest : IValidatableObject, IWireNames
{
    /// <summary>The prompt, or (on /generate only) a list of prompts answered concurrently, in order.</summary>
    /// <example>List 3 things to do in London</example>
    [Required]
    public OneOrMany<string>? Text { get; set; }

    /// <summary>Most tokens to generate (default 128).</summary>
    /// <example>128</example>
    [Range(1, 1_000_000)]
    public int? MaxNewTokens { get; set; }

    /// <summary>Older name of <c>max_new_tokens</c>.</summary>
    [Range(1, 1_000_000)]
    public int? GenerateMaxLength { get; set; }

    /// <summary>End-of-sequence is suppressed until this many tokens were generated (default 0).</summary>
    [Range(0, 1_000_000)]
    public int? MinNewTokens { get; set; }

    /// <summary>Softmax temperature (default 1.0); 0 is greedy.</summary>
    [Range(0.0, 100.0)]
    public float? SamplingTemperature { get; set; }

    /// <summary>Sample among the k most likely tokens (default 1: greedy); 0 disables the filter.</summary>
    [Range(0, int.MaxValue)]
    public int? SamplingTopk { get; set; }

    /// <summary>Nucleus sampling threshold in (0, 1] (default 1.0: off).</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public float? SamplingTopp { get; set; }

    /// <summary>Penalty on tokens already in the sequence, as in Hugging Face (default 1.0: off).</summary>
    [Range(0.0, 100.0, MinimumIsExclusive = true)]
    public float? RepetitionPenalty { get; set; }

    /// <summary>No n-gram of this size repeats in the generated text (default 0: off).</summary>
    [Range(0, 1024)]
    public int? NoRepeatNgramSize { get; set; }

    /// <summary>A longer prompt is truncated to this many tokens, keeping its end.</summary>
    [Range(1, int.MaxValue)]
    public int? PromptMaxTokens { get; set; }

    /// <summary>Seed for reproducible sampling.</summary>
    [Range(0, uint.MaxValue)]
    public long? Seed { get; set; }

    /// <summary>Which model group serves the request (default "primary").</summary>
    /// <example>primary</example>
    public string? ConsumerGroup { get; set; }

    /// <summary>Wrap the text as one user turn in the model's chat template (400 if the model has none).</summary>
    public bool? UseChatTemplate { get; set; }

    /// <summary>Add token counts, finish reason and timings to the /generate answer.</summary>
    public bool? ReturnMetadata { get; set; }

    /// <summary>
    /// Extension: generation ends where one of these strings appears (one string or a list); the match is not
    /// returned, and finish_reason is "stop".
    /// </summary>
    public OneOrMany<string>? Stop { get; set; }

    /// <summary>
    /// Extension (as llama-server): reuse the cached prefix of an earlier prompt that started the same way (default
    /// true); greedy output is the same either way.
    /// </summary>
    public bool? CachePrompt { get; set; }

    /// <summary>
    /// The output is a JSON document valid against this JSON Schema (an object). Keywords that cannot be enforced are
    /// refused with a 400 naming them.
    /// </summary>
    public JsonElement? JsonSchema { get; set; }

    /// <summary>The output fully matches this regular expression (wins over json_schema, as the Takeoff client documents).</summary>
    /// <example>[A-Z][a-z]+ (is|was) [a-z]+\.</example>
    public string? RegexString { get; set; }

    /// <summary>Extension: the output follows this GBNF grammar (llama.cpp's format, root rule "root").</summary>
    public string? Grammar { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var error in InputValidation.TextAndGroup(Text, ConsumerGroup))
            yield return error;
        if (Grammar is not null && (RegexString is not null || JsonSchema is { ValueKind: not JsonValueKind.Null }))
            yield return new ValidationResult("grammar cannot be combined with json_schema or regex_string: send one.", ["grammar"]);
        if (JsonSchema is { ValueKind: not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.Null) })
            yield return new ValidationResult("json_schema must be a JSON Schema object.", ["json_schema"]);
        if (InputValidation.StopSequences(Stop?.Items) is { } stop)
            yield return stop;
    }

    /// <summary>The fields this body has, by the names the client sent (generate_max_length when that is how it came).</summary>
    public string? NameOf(EngineInput input) => input switch
    {
        EngineInput.Target => "consumer_group",
        EngineInput.Prompt => "text",
        // A conversation is refused only when the text was wrapped in the chat template: the flag that asked for it.
        EngineInput.Messages => "use_chat_template",
        EngineInput.StopSequences => "stop",
        EngineInput.MaxTokens => MaxNewTokens is null && GenerateMaxLength is not null ? "generate_max_length" : "max_new_tokens",
        EngineInput.MinTokens => "min_new_tokens",
        EngineInput.PromptMaxTokens => "prompt_max_tokens",
        EngineInput.Temperature => "sampling_temperature",
        EngineInput.TopK => "sampling_topk",
        EngineInput.TopP => "sampling_topp",
        EngineInput.RepetitionPenalty => "repetition_penalty",
        EngineInput.NoRepeatNgramSize => "no_repeat_ngram_size",
        EngineInput.JsonSchema => "json_schema",
        EngineInput.Regex => "regex_string",
        EngineInput.Grammar => "grammar",
        _ => null,
    };

    /// <summary>The engine's request, Takeoff's defaults filled in: greedy, 128 new tokens, group "primary".</summary>
    public GenerationRequest ToEngineRequest() => new()
    {
        // use_chat_template wraps the text as the one user turn of a conversation.
        Prompts = Text!.Items.Select(text => UseChatTemplate == true
            ? (Prompt)new Prompt.Chat([new ChatMessage("user", text)])
            : new Prompt.Text(text)).ToArray(),
        Target = ConsumerGroup ?? ModelEntry.DefaultConsumerGroup,
        Sampling = new SamplingSettings
        {
            Temperature = SamplingTemperature ?? 1.0f,
            TopK = SamplingTopk ?? 1,
            TopP = SamplingTopp ?? 1.0f,
            RepetitionPenalty = RepetitionPenalty ?? 1.0f,
            NoRepeatNgramSize = NoRepeatNgramSize ?? 0,
            Seed = (uint?)Seed,
        },
        MaxTokens = MaxNewTokens ?? GenerateMaxLength ?? 128,
        MinTokens = MinNewTokens ?? 0,
        PromptMaxTokens = PromptMaxTokens,
        StopSequences = Stop?.Items ?? [],
        CachePrompt = CachePrompt ?? true,
        Constraint = Grammar is not null ? new OutputConstraint.Grammar(Grammar)
            : RegexString is not null ? new OutputConstraint.Regex(RegexString)
            : JsonSchema is { ValueKind: not JsonValueKind.Null } schema ? new OutputConstraint.JsonSchema(schema)
            : null,
    };
}
