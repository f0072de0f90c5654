using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LLama;
using LLama.Common;
using LLama.Native;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Native;
using Takeoff.Engine.Sampling;
using Takeoff.Engine.Sampling.Constraints;

namespace Takeoff.Bench;

/// <summary>
/// What a greedy choice under a JSON schema costs per token in sampling alone (the grammar and the shortcuts around it),
/// on the model's real logits: one sequence decodes the compare script's schema from "Once upon a time" until the
/// document ends, and only the sampler's time is counted. Median of the runs, in ms per token.
/// </summary>
internal static class ConstrainedSamplingBench
{
    private const string Schema = """
        {"type":"object","properties":{"name":{"type":"string","maxLength":24},"age":{"type":"integer","minimum":0,"maximum":120},
         "tags":{"type":"array","items":{"type":"string","maxLength":10},"maxItems":3}},"required":["name","age","tags"],"additionalProperties":false}
        """;

    public static int Run(IReadOnlyDictionary<string, string> options)
    {
        var model = Path.GetFullPath(options.GetValueOrDefault("model") ?? throw new ArgumentException("--model PATH is required"));
        var runs = int.Parse(options.GetValueOrDefault("runs") ?? "9", CultureInfo.InvariantCulture);
        NativeBackend.EnsureLoaded(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var parameters = new ModelParams(model) { ContextSize = 512, GpuLayerCount = 0 };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var context = weights.CreateContext(parameters);
        var vocabulary = weights.Vocab;
        var gbnf = ConstraintCompiler.ToGbnf(new OutputConstraint.JsonSchema(JsonDocument.Parse(Schema).RootElement), vocabulary.Count);
        var prompt = context.Tokenize("Once upon a time", true);
        var candidates = new LLamaTokenData[vocabulary.Count];
        var logits = new float[vocabulary.Count];
        using var batch = new NativeBatch((int)context.BatchSize);
        var perToken = new List<double>();
        var tokens = 0;
        for (var run = 0; run < runs; run++)
        {
            context.NativeHandle.MemoryClear(true);
            batch.Clear();
            for (var i = 0; i < prompt.Length; i++)
                batch.Add((int)prompt[i], i, 0, logits: i == prompt.Length - 1);
            batch.DecodeOrThrow(context.NativeHandle);
            var row = prompt.Length - 1;
            using var sampler = new ConstrainedSampler(new SamplingSettings { Temperature = 0 }, 64, prompt,
                GrammarSamplers.Create(vocabulary, gbnf), candidates);
            var sampling = Stopwatch.StartNew();
            sampling.Stop();
            tokens = 0;
            for (var position = prompt.Length; position < parameters.ContextSize; position++)
            {
                context.NativeHandle.GetLogitsIth(row).CopyTo(logits);
                sampling.Start();
                var token = sampler.Sample(logits, logits, vocabulary);
                sampling.Stop();
                if (token is not { } next || next.IsEndOfGeneration(vocabulary))
                    break;
                tokens++;
                batch.Clear();
                row = batch.Add((int)next, position, 0, logits: true);
                batch.DecodeOrThrow(context.NativeHandle);
            }
            perToken.Add(sampling.Elapsed.TotalMilliseconds / Math.Max(1, tokens));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"constrained greedy sampling, {Path.GetFileName(model)} ({vocabulary.Count:N0} tokens), {tokens} tokens a document, {MachineFacts.Cpu()}: " +
            $"median {Percentiles.Median(perToken):F3} ms a token (best {perToken.Min():F3}) over {runs} runs"));
        return 0;
    }
}
