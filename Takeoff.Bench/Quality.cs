using LLama;
using LLama.Common;
using LLama.Native;

namespace Takeoff.Bench;

/// <summary>
/// How much a model's predictions moved, read straight from llama.cpp's logits: the log-probability of a fixed
/// passage (teacher forcing) and greedy continuations of fixed prompts, to compare with the unquantized source's.
/// </summary>
internal static class Quality
{
    public static readonly string[] Prompts =
    [
        "Once upon a time", "The little dog", "Lily wanted to", "One day, a boy named Tim",
        "The sun was", "Mom said", "In the park", "The cat and the bird",
    ];

    /// <param name="Tokens">Tokens predicted (the passage's tokens after BOS).</param>
    public sealed record PassageScore(double MeanLogProb, int Tokens)
    {
        public double Perplexity => Math.Exp(-MeanLogProb);
    }

    /// <summary>Mean log-probability per token of <paramref name="text"/>, all positions in one decode.</summary>
    public static PassageScore ScorePassage(LLamaWeights weights, string text, int threads)
    {
        var tokens = Tokenize(weights, text);
        // Positions past the training context are not what the model learned; those would measure RoPE, not weights.
        if (tokens.Length > weights.ContextSize)
        {
            Console.Error.WriteLine($"quality: the passage is {tokens.Length} tokens, scoring the first {weights.ContextSize} (the training context)");
            tokens = tokens[..weights.ContextSize];
        }
        var size = (uint)tokens.Length;
        using var context = weights.CreateContext(ContextParams(size, threads));
        var batch = new LLamaBatch();
        for (var i = 0; i < tokens.Length; i++)
            batch.Add(tokens[i], i, LLamaSeqId.Zero, logits: true);
        Decode(context, batch);

        // The logits at batch index i predict token i + 1; log-softmax in double, so F32's tiny deltas survive.
        var sum = 0.0;
        for (var i = 0; i + 1 < tokens.Length; i++)
            sum += LogSoftmaxAt(context.NativeHandle.GetLogitsIth(i), (int)tokens[i + 1]);
        return new PassageScore(sum / (tokens.Length - 1), tokens.Length - 1);
    }

    /// <summary>
    /// Up to <paramref name="count"/> greedy tokens per prompt (argmax of the logits, no sampler); a continuation
    /// ends early at an end-of-generation token, which is not kept.
    /// </summary>
    public static List<int[]> Greedy(LLamaWeights weights, IReadOnlyList<string> prompts, int count, int threads)
    {
        var continuations = new List<int[]>();
        var prompted = prompts.Select(p => Tokenize(weights, p)).ToArray();
        using var context = weights.CreateContext(ContextParams((uint)(prompted.Max(p => p.Length) + count), threads));
        var batch = new LLamaBatch();
        foreach (var prompt in prompted)
        {
            context.NativeHandle.MemoryClear(true);
            batch.Clear();
            batch.AddRange(prompt, 0, LLamaSeqId.Zero, logitsLast: true);
            var generated = new List<int>();
            for (var position = prompt.Length; generated.Count < count; position++)
            {
                Decode(context, batch);
                var token = ArgMax(context.NativeHandle.GetLogitsIth(batch.TokenCount - 1));
                if (((LLamaToken)token).IsEndOfGeneration(weights.Vocab))
                    break;
                generated.Add(token);
                batch.Clear();
                batch.Add(token, position, LLamaSeqId.Zero, logits: true);
            }
            continuations.Add([.. generated]);
        }
        return continuations;
    }

    /// <summary>
    /// How far <paramref name="candidate"/> follows <paramref name="reference"/> over <paramref name="count"/> positions:
    /// the index of the first difference, and the positions that are equal. A position where both have stopped agrees;
    /// one where only one of them stopped does not.
    /// </summary>
    public static (int FirstDivergence, int SamePositions) Agreement(int[] reference, int[] candidate, int count)
    {
        bool Same(int i) => i < reference.Length && i < candidate.Length ? reference[i] == candidate[i]
            : i >= reference.Length && i >= candidate.Length;
        var first = Enumerable.Range(0, count).FirstOrDefault(i => !Same(i), count);
        return (first, Enumerable.Range(0, count).Count(Same));
    }

    private static LLamaToken[] Tokenize(LLamaWeights weights, string text) =>
        weights.Tokenize(text, add_bos: true, special: false, System.Text.Encoding.UTF8);

    // Only the context half of ModelParams is read here: the weights are already loaded.
    private static ModelParams ContextParams(uint size, int threads) => new(string.Empty)
    {
        // One decode for the whole passage: the batch and micro-batch must hold every position.
        ContextSize = size, BatchSize = size, UBatchSize = size, Threads = threads, BatchThreads = threads,
    };

    private static void Decode(LLamaContext context, LLamaBatch batch)
    {
        var result = context.Decode(batch);
        if (result != DecodeResult.Ok)
            throw new InvalidOperationException($"llama_decode failed: {result}");
    }

    private static double LogSoftmaxAt(Span<float> logits, int index)
    {
        double max = double.NegativeInfinity;
        foreach (var l in logits)
            max = Math.Max(max, l);
        var sum = 0.0;
        foreach (var l in logits)
            sum += Math.Exp(l - max);
        return logits[index] - max - Math.Log(sum);
    }

    private static int ArgMax(Span<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
                best = i;
        }
        return best;
    }
}
