using Takeoff.Engine.Generation;

namespace Takeoff.Api.Contracts.OpenAi;

/// <summary>Tokens a request used: each prompt counted once however many choices it had, every choice's output.</summary>
public sealed record Usage(int PromptTokens, int CompletionTokens, int TotalTokens)
{
    /// <param name="finished">Each finished choice's index and summary.</param>
    /// <param name="choicesPerPrompt">n: choice c continues prompt c / n.</param>
    public static Usage From(IEnumerable<(int Choice, GenerationSummary Summary)> finished, int choicesPerPrompt)
    {
        var all = finished.ToArray();
        var prompt = all.Where(f => f.Choice % choicesPerPrompt == 0).Sum(f => f.Summary.PromptTokens);
        var completion = all.Sum(f => f.Summary.GeneratedTokens);
        return new Usage(prompt, completion, prompt + completion);
    }
}
