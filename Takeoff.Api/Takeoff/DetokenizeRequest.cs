using System.ComponentModel.DataAnnotations;
using Takeoff.Api.Hosting;
using Takeoff.Engine.Errors;

namespace Takeoff.Api.Takeoff;

/// <summary>Body of <c>POST /detokenize/{reader_id}</c>.</summary>
public sealed class DetokenizeRequest : IWireNames
{
    /// <summary>Token pieces as /tokenize returns them, or token ids.</summary>
    [Required]
    public TokenList? Tokens { get; set; }

    /// <summary>Leave out control tokens such as &lt;s&gt; and &lt;/s&gt; (default true).</summary>
    public bool? SkipSpecialTokens { get; set; }

    /// <summary>This body's fields, and the path's reader_id it is sent with.</summary>
    public string? NameOf(EngineInput input) => input switch
    {
        EngineInput.Reader => "reader_id",
        EngineInput.Tokens => "tokens",
        _ => null,
    };
}

public sealed record DetokenizeResponse(string Text);
