using Microsoft.AspNetCore.Mvc;
using Takeoff.Engine;
using Takeoff.Engine.Models;

namespace Takeoff.Api.Takeoff;

/// <summary>llama-server's <c>/apply-template</c>: a conversation formatted by a model's chat template, without generating.</summary>
public sealed class ApplyTemplateController(InferenceEngine engine) : TakeoffController
{
    /// <summary>
    /// Format OpenAI-style messages (and tools) with the chat template of the model serving <c>model</c>, exactly as
    /// /v1/chat/completions would before generating.
    /// </summary>
    [HttpPost("/apply-template")]
    [ProducesResponseType<ApplyTemplateResponse>(StatusCodes.Status200OK, "application/json")]
    public ApplyTemplateResponse Apply(ApplyTemplateRequest request) =>
        new(engine.ApplyChatTemplate(request.Model ?? ModelEntry.DefaultConsumerGroup,
            request.Messages!.Select(m => m.ToEngineMessage()).ToArray(), request.AddGenerationPrompt ?? true, request.EngineTools()));
}
