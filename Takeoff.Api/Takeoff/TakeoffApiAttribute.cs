using Microsoft.AspNetCore.Authorization;
using Takeoff.Api.Hosting.Errors;
using Takeoff.Api.Hosting.Security;
using Takeoff.Engine.Errors;

namespace Takeoff.Api.Takeoff;

/// <summary>
/// Marks the Takeoff endpoints of the inference port: problem-details errors, Takeoff's field names, the inference
/// API's keys.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class TakeoffApiAttribute : Attribute, IWireNames, IAuthorizeData
{
    public string? Policy { get; set; } = ApiKeys.Inference;

    public string? Roles { get; set; }

    public string? AuthenticationSchemes { get; set; }

    /// <summary>The field a refused conversation is blamed on: the flag that asked for the chat template, by default.</summary>
    public string Messages { get; set; } = "use_chat_template";

    public string? NameOf(EngineInput input) => input switch
    {
        EngineInput.Target => "consumer_group",
        EngineInput.Reader => "reader_id",
        EngineInput.Prompt => "text",
        EngineInput.Messages => Messages,
        EngineInput.Tokens => "tokens",
        EngineInput.StopSequences => "stop",
        EngineInput.MaxTokens => "max_new_tokens",
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
        EngineInput.Tools => "tools",
        EngineInput.ToolChoice => "tool_choice",
        _ => null,
    };
}
