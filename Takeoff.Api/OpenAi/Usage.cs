using Takeoff.Engine.Generation;

namespace Takeoff.Api.OpenAi;

/// <summary>Tokens a request used, as the engine counted them: each prompt once however many choices it had, every choice's output.</summary>
/// <param name="PromptTokensDetails">How many prompt tokens were found cached (OpenAI's prompt caching field).</param>
public sealed record Usage(int PromptTokens, int CompletionTokens, int TotalTokens, PromptTokensDetails PromptTokensDetails)
{
    public static Usage From(GenerationUsage usage) =>
        new(usage.PromptTokens, usage.GeneratedTokens, usage.TotalTokens, new PromptTokensDetails(usage.CachedTokens));
}

public sealed record PromptTokensDetails(int CachedTokens);
