using Takeoff.Engine;
using Takeoff.Engine.Generation;

namespace Takeoff.Bench;

/// <summary>The engine mode's request: the scheduler driven in process through <see cref="InferenceEngine"/>, no HTTP.</summary>
internal static class InProcessRequests
{
    /// <summary>A greedy request for exactly <paramref name="tokens"/> tokens; returns how many came.</summary>
    public static async Task<int> GreedyAsync(InferenceEngine engine, string prompt, int tokens, Action firstToken)
    {
        var count = 0;
        var request = new GenerationRequest
        {
            Prompts = [new Prompt.Text(prompt)], Target = "primary", MaxTokens = tokens, MinTokens = tokens,
            Sampling = new() { TopK = 1 },
        };
        await foreach (var chunk in engine.Generate(request, CancellationToken.None))
        {
            if (chunk.Tokens.Count == 0)
                continue;
            firstToken();
            count += chunk.Tokens.Count;
        }
        return count;
    }
}
