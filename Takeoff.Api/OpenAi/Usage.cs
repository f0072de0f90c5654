using Takeoff.Engine.Generation;

namespace Takeoff.Api.OpenAi;

/// <summary>Tokens a request used: each prompt counted once however many choices it had, every choice's output.</summary>
/// <param name="PromptTokensDetails">How many prompt tokens were found cached (OpenAI's prompt caching field).</param>
public sealed record Usage(int PromptTokens, int CompletionTokens, int TotalTokens, PromptTokensDetails PromptTokensDetails)
{
    /// <param name="finished">Each finished choice's index and summary.</param>
    /// <param name="choicesPerPrompt">n: choice c continues prompt c / n.</param>
    public static Usage From(IEnumerable<(int Choice, GenerationSummary Summary)> finished, int choicesPerPrompt)
    {
        var all = finished.ToArray();
        var firsts = all.Where(f => f.Choice % choicesPerPrompt == 0).ToArray();
        var prompt = firsts.Sum(f => f.Summary.PromptTokens);
        var completion = all.Sum(f => f.Summary.GeneratedTokens);
        return new Usage(prompt, completion, prompt + completion, new PromptTokensDetails(firsts.Sum(f => f.Summary.CachedTokens)));
    }
}

public sealed record PromptTokensDetails(int CachedTokens);
