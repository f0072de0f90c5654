using System.Text.Json.Serialization;

namespace Takeoff.Api.Wire;

/// <summary>
/// A JSON value that is either one item or a list of items (Takeoff's <c>"text": "..." | ["...", ...]</c>);
/// an answer keeps the shape of the question.
/// </summary>
[JsonConverter(typeof(OneOrManyJsonConverterFactory))]
public sealed class OneOrMany<T>
{
    internal OneOrMany(IReadOnlyList<T> items, bool isList)
    {
        Items = items;
        IsList = isList;
    }

    public IReadOnlyList<T> Items { get; }

    public bool IsList { get; }

    /// <summary>The same shape with each item mapped: a list stays a list, one stays one.</summary>
    public OneOrMany<TResult> Select<TResult>(Func<T, TResult> map) => new(Items.Select(map).ToArray(), IsList);
}

public static class OneOrMany
{
    public static OneOrMany<T> One<T>(T item) => new([item], false);

    public static OneOrMany<T> Many<T>(IReadOnlyList<T> items) => new(items, true);
}
