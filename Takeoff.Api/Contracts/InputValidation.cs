using System.ComponentModel.DataAnnotations;

namespace Takeoff.Api.Contracts;

/// <summary>
/// Checks shared by the bodies that take Takeoff's <c>text</c> and <c>consumer_group</c>. Member names are
/// wire names: MVC reports an IValidatableObject's member names as they are given.
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
}
