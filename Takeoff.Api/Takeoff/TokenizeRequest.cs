using System.ComponentModel.DataAnnotations;
using Takeoff.Api.Hosting;
using Takeoff.Engine.Errors;

namespace Takeoff.Api.Takeoff;

/// <summary>Body of <c>POST /tokenize/{reader_id}</c>.</summary>
public sealed class TokenizeRequest : IWireNames
{
    /// <example>Once upon a time</example>
    [Required]
    public string? Text { get; set; }

    /// <summary>Tokenize the text as one user turn in the model's chat template, as /generate would.</summary>
    public bool? UseChatTemplate { get; set; }

    /// <summary>This body's fields, and the path's reader_id it is sent with.</summary>
    public string? NameOf(EngineInput input) => input switch
    {
        EngineInput.Reader => "reader_id",
        EngineInput.Prompt => "text",
        EngineInput.Messages => "use_chat_template",
        _ => null,
    };
}

/// <summary>The tokens of the text (no beginning-of-sequence token), as pieces and as ids.</summary>
/// <param name="Tokens">Each token's text; a lone byte of a multi-byte character is written "&lt;0xE2&gt;".</param>
/// <param name="TokensCount">How many tokens.</param>
/// <param name="TokenIds">The same tokens as vocabulary ids.</param>
public sealed record TokenizeResponse(IReadOnlyList<string> Tokens, int TokensCount, IReadOnlyList<int> TokenIds);
