using System.ComponentModel.DataAnnotations;

namespace Takeoff.Api.Takeoff;

/// <summary>Body of <c>POST /detokenize/{reader_id}</c>.</summary>
public sealed class DetokenizeRequest
{
    /// <summary>Token pieces as /tokenize returns them, or token ids.</summary>
    [Required]
    public TokenList? Tokens { get; set; }

    /// <summary>Leave out control tokens such as &lt;s&gt; and &lt;/s&gt; (default true).</summary>
    public bool? SkipSpecialTokens { get; set; }
}

public sealed record DetokenizeResponse(string Text);
