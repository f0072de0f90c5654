using Microsoft.AspNetCore.Mvc;
using Takeoff.Engine;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Text;

namespace Takeoff.Api.Takeoff;

/// <summary>A reader's tokenizer and chat template, for clients that count tokens or build prompts themselves.</summary>
public sealed class TokenizerController(InferenceEngine engine) : TakeoffController
{
    /// <summary>Split text into the reader's tokens (no beginning-of-sequence token is added).</summary>
    [HttpPost("/tokenize/{reader_id}")]
    [ProducesResponseType<TokenizeResponse>(StatusCodes.Status200OK, "application/json")]
    public TokenizeResponse Tokenize([FromRoute(Name = "reader_id")] string readerId, TokenizeRequest request)
    {
        Prompt prompt = request.UseChatTemplate == true
            ? new Prompt.Chat([new ChatMessage("user", request.Text!)])
            : new Prompt.Text(request.Text!);
        var tokens = engine.Tokenize(readerId, prompt);
        return new TokenizeResponse(tokens.Pieces, tokens.Ids.Count, tokens.Ids);
    }

    /// <summary>Turn token pieces (as /tokenize returns them) or token ids back into text.</summary>
    [HttpPost("/detokenize/{reader_id}")]
    [ProducesResponseType<DetokenizeResponse>(StatusCodes.Status200OK, "application/json")]
    public DetokenizeResponse Detokenize([FromRoute(Name = "reader_id")] string readerId, DetokenizeRequest request)
    {
        var skipSpecial = request.SkipSpecialTokens ?? true;
        var tokens = request.Tokens!;
        return new DetokenizeResponse(tokens.Ids is { } ids
            ? engine.Detokenize(readerId, ids, skipSpecial)
            : engine.Detokenize(readerId, tokens.Pieces!, skipSpecial));
    }

    /// <summary>
    /// Format conversations with the model's chat template (from its GGUF, else the chat_template of its
    /// models.json entry); 400 if it has neither.
    /// </summary>
    [HttpPost("/chat_template/{reader_id}")]
    [ProducesResponseType<ChatTemplateResponse>(StatusCodes.Status200OK, "application/json")]
    public ChatTemplateResponse ChatTemplate([FromRoute(Name = "reader_id")] string readerId, ChatTemplateRequest request) =>
        new(engine.ApplyChatTemplate(readerId,
            request.Inputs!.Select(conversation => (IReadOnlyList<ChatMessage>)conversation.Select(m => new ChatMessage(m.Role!, m.Content!)).ToArray()).ToArray(),
            request.AddGenerationPrompt ?? true));
}
