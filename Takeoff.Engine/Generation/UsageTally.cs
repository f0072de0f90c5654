namespace Takeoff.Engine.Generation;

/// <summary>Adds up a request's usage from its choices' summaries as they finish, in whatever order that is.</summary>
internal sealed class UsageTally
{
    // Per prompt, its lowest choice seen so far: the one whose prompt tokens count (all its choices share the prompt).
    private readonly Dictionary<int, (int Choice, GenerationSummary Summary)> _firstChoices = [];
    private int _completionTokens;

    /// <summary>How many choices have finished.</summary>
    public int Finished { get; private set; }

    public void Add(int prompt, int choice, GenerationSummary summary)
    {
        Finished++;
        _completionTokens += summary.GeneratedTokens;
        if (!_firstChoices.TryGetValue(prompt, out var first) || choice < first.Choice)
            _firstChoices[prompt] = (choice, summary);
    }

    public GenerationUsage Usage() => new(
        _firstChoices.Values.Sum(first => first.Summary.PromptTokens),
        _completionTokens,
        _firstChoices.Values.Sum(first => first.Summary.CachedTokens));
}
