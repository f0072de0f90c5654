using System.ComponentModel.DataAnnotations;

namespace Takeoff.Api.Contracts;

/// <summary>Checks shared by the bodies that take Takeoff's <c>text</c> and <c>consumer_group</c>.</summary>
internal static class InputValidation
{
    public static IEnumerable<ValidationResult> TextAndGroup(OneOrMany<string>? text, string? consumerGroup)
    {
        if (text is { Items.Count: 0 })
            yield return new ValidationResult("text must not be an empty list.", ["Text"]);
        else if (text is not null && text.Items.Any(string.IsNullOrEmpty))
            yield return new ValidationResult("text must not be empty.", ["Text"]);
        if (consumerGroup is { Length: 0 })
            yield return new ValidationResult("consumer_group must not be empty.", ["ConsumerGroup"]);
    }
}
