using System.Text;

namespace Takeoff.Engine.Generation;

/// <summary>Gathers a generation's chunks into whole choices, for callers that answer once at the end.</summary>
internal static class GenerationCollector
{
    public static async Task<GenerationResult> CollectAsync(IAsyncEnumerable<GenerationChunk> chunks, int choices)
    {
        var texts = Enumerable.Range(0, choices).Select(_ => new StringBuilder()).ToArray();
        var tokens = Enumerable.Range(0, choices).Select(_ => new List<GeneratedToken>()).ToArray();
        var summaries = new GenerationSummary?[choices];
        await foreach (var chunk in chunks)
        {
            texts[chunk.Choice].Append(chunk.Text);
            tokens[chunk.Choice].AddRange(chunk.Tokens);
            summaries[chunk.Choice] ??= chunk.Summary;
        }
        return new GenerationResult(Enumerable.Range(0, choices)
            .Select(i => new ChoiceResult(i, texts[i].ToString(), tokens[i],
                summaries[i] ?? throw new InvalidOperationException($"Choice {i} ended without a summary.")))
            .ToArray());
    }
}
