using Takeoff.Engine.Generation;

namespace Takeoff.Api.OpenAi;

/// <summary>How the OpenAI API spells the engine's outcomes.</summary>
internal static class OpenAiNames
{
    /// <summary>
    /// OpenAI knows "stop" and "length" (its SDKs refuse other values): end-of-generation and a stop sequence are
    /// "stop"; the token limit, a full context and a reader stopped early are "length" (the answer was cut short).
    /// </summary>
    public static string FinishReason(FinishReason reason) =>
        reason is Engine.Generation.FinishReason.Eos or Engine.Generation.FinishReason.Stop ? "stop" : "length";
}
