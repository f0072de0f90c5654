using System.ComponentModel.DataAnnotations;

namespace Takeoff.Api.Wire;

/// <summary>
/// Checks shared by several request bodies. Member names are wire names: MVC reports an IValidatableObject's
/// member names as they are given.
/// </summary>
internal static class InputValidation
{
    public static IEnumerable<ValidationResult> TextAndGroup(OneOrMany<string>? text, string? consumerGroup)
    {
        if (text is { Items.Count: 0 })
            yield return new ValidationResult("text must not be an empty list.", ["text"]);
        else if (text is not null && text.Items.Any(string.IsNullOrEmpty))
            yield return new ValidationResult("text must not be empty.", ["text"]);
        if (consumerGroup is { Length: 0 })
            yield return new ValidationResult("consumer_group must not be empty.", ["consumer_group"]);
    }

    /// <summary>Most stop sequences a request may send (OpenAI allows 4; llama-server and vLLM more).</summary>
    public const int MaxStopSequences = 16;

    public static ValidationResult? StopSequences(IReadOnlyList<string>? stop) => stop switch
    {
        null => null,
        { Count: > MaxStopSequences } => new ValidationResult($"stop takes at most {MaxStopSequences} sequences.", ["stop"]),
        _ when stop.Any(string.IsNullOrEmpty) => new ValidationResult("stop sequences must not be empty.", ["stop"]),
        _ => null,
    };
}
