using Microsoft.AspNetCore.Mvc;
using Takeoff.Api.Contracts.Tokenizer;
using Takeoff.Engine.Readers;
using Takeoff.Engine.Text;

namespace Takeoff.Api.Controllers;

/// <summary>A reader's tokenizer and chat template, for clients that count tokens or build prompts themselves.</summary>
[ApiController]
[Consumes("application/json")]
[ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
public sealed class TokenizerController(ReaderRegistry registry) : ControllerBase
{
    /// <summary>Split text into the reader's tokens (no beginning-of-sequence token is added).</summary>
    [HttpPost("/tokenize/{reader_id}")]
    [ProducesResponseType<TokenizeResponse>(StatusCodes.Status200OK, "application/json")]
    public TokenizeResponse Tokenize([FromRoute(Name = "reader_id")] string readerId, TokenizeRequest request) =>
        registry.Find(readerId).RequireModel().Use(model =>
        {
            var tokens = model.TokenizeUserText(request.Text!, request.UseChatTemplate == true, addBos: false);
            return new TokenizeResponse(model.Text.Pieces(tokens), tokens.Length, tokens.Select(t => (int)t).ToArray());
        });

    /// <summary>Turn token pieces (as /tokenize returns them) or token ids back into text.</summary>
    [HttpPost("/detokenize/{reader_id}")]
    [ProducesResponseType<DetokenizeResponse>(StatusCodes.Status200OK, "application/json")]
    public DetokenizeResponse Detokenize([FromRoute(Name = "reader_id")] string readerId, DetokenizeRequest request) =>
        registry.Find(readerId).RequireModel().Use(model =>
        {
            var ids = request.Tokens!.Ids ?? model.Text.Ids(request.Tokens.Pieces!);
            return new DetokenizeResponse(model.Text.Detokenize(ids, request.SkipSpecialTokens ?? true));
        });

    /// <summary>
    /// Format conversations with the model's chat template (from its GGUF, else the chat_template of its
    /// models.json entry); 400 if it has neither.
    /// </summary>
    [HttpPost("/chat_template/{reader_id}")]
    [ProducesResponseType<ChatTemplateResponse>(StatusCodes.Status200OK, "application/json")]
    public ChatTemplateResponse ChatTemplate([FromRoute(Name = "reader_id")] string readerId, ChatTemplateRequest request) =>
        registry.Find(readerId).RequireModel().Use(model => new ChatTemplateResponse(request.Inputs!
            .Select(conversation => model.ChatTemplate.Apply(
                conversation.Select(m => new ChatMessage(m.Role!, m.Content!)).ToArray(),
                request.AddGenerationPrompt ?? true, "inputs"))
            .ToArray()));
}
