using Microsoft.AspNetCore.Authorization;
using Takeoff.Api.Hosting.Errors;
using Takeoff.Api.Hosting.Security;
using Takeoff.Engine.Errors;

namespace Takeoff.Api.OpenAi;

/// <summary>
/// Marks the OpenAI-compatible endpoints (/v1): served on the inference port and the OpenAI port, errors in
/// OpenAI's shape, OpenAI's field names, the inference API's keys.
/// </summary>
/// <param name="prompt">What the endpoint calls its prompt: "messages", "prompt" or "input".</param>
/// <param name="logprobs">What it calls the number of alternatives per token: "top_logprobs" or "logprobs".</param>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OpenAiApiAttribute(string prompt, string logprobs = "logprobs") : Attribute, IWireNames, IAuthorizeData
{
    public string? Policy { get; set; } = ApiKeys.Inference;

    public string? Roles { get; set; }

    public string? AuthenticationSchemes { get; set; }

    public string? NameOf(EngineInput input) => input switch
    {
        EngineInput.Target => "model",
        EngineInput.Prompt => prompt,
        EngineInput.Messages => "messages",
        EngineInput.Tokens => "input",
        EngineInput.StopSequences => "stop",
        EngineInput.Choices => "n",
        EngineInput.Logprobs => logprobs,
        EngineInput.LogitBias => "logit_bias",
        EngineInput.MaxTokens => "max_tokens",
        EngineInput.MinTokens => "min_tokens",
        EngineInput.Temperature => "temperature",
        EngineInput.TopK => "top_k",
        EngineInput.TopP => "top_p",
        EngineInput.MinP => "min_p",
        EngineInput.RepetitionPenalty => "repetition_penalty",
        EngineInput.PresencePenalty => "presence_penalty",
        EngineInput.FrequencyPenalty => "frequency_penalty",
        EngineInput.JsonSchema => "response_format",
        EngineInput.Grammar => "grammar",
        EngineInput.Tools => "tools",
        EngineInput.ToolChoice => "tool_choice",
        _ => null,
    };
}
