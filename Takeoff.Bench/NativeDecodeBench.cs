using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LLama;
using LLama.Common;
using LLama.Native;
using Takeoff.Engine.Native;

namespace Takeoff.Bench;

/// <summary>
/// The native decode alone, without a server around it: llama-bench's text-generation test (one sequence, one token
/// per decode, no sampling, the next token drawn at random) done in this process through LLamaSharp's library and the
/// server's own <see cref="NativeBatch"/>, alternated with llama-bench itself on the same model, threads and context.
/// What differs between the two is the native library (LLamaSharp's prebuilt llama.cpp against the host build) and
/// the process around it, nothing of the server.
/// </summary>
internal static class NativeDecodeBench
{
    public static int Run(IReadOnlyDictionary<string, string> options)
    {
        var model = Path.GetFullPath(options.GetValueOrDefault("model") ?? throw new ArgumentException("--model PATH is required"));
        var tokens = int.Parse(options.GetValueOrDefault("tokens") ?? "128", CultureInfo.InvariantCulture);
        var rounds = int.Parse(options.GetValueOrDefault("rounds") ?? "5", CultureInfo.InvariantCulture);
        var threads = int.Parse(options.GetValueOrDefault("threads") ?? $"{Environment.ProcessorCount}", CultureInfo.InvariantCulture);
        var llamaBench = options.GetValueOrDefault("llama-bench");

        // The library the server would load, chosen the same way (and llama.cpp's log kept quiet).
        var library = NativeBackend.EnsureLoaded(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        // llama-bench's defaults for a tg test: a context of exactly the generated tokens, batch 2048, ubatch 512, one
        // sequence, KV not unified. LLamaSharp's default is unified, under which llama.cpp's batch check walks every pair
        // of its 256 possible sequences on every decode: 0.1 ms a token here, a third of stories260K's decode.
        var parameters = new ModelParams(model)
        {
            ContextSize = (uint)tokens, BatchSize = 2048, UBatchSize = 512, GpuLayerCount = 0, Threads = threads, BatchThreads = threads,
            SeqMax = 1, KVUnified = false,
        };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var context = weights.CreateContext(parameters);
        using var batch = new NativeBatch(1);
        var vocabulary = weights.Vocab.Count;
        var random = new Random(1);

        double InProcess()
        {
            context.NativeHandle.MemoryClear(true);
            var clock = Stopwatch.StartNew();
            for (var position = 0; position < tokens; position++)
            {
                batch.Clear();
                batch.Add(random.Next(vocabulary), position, 0, logits: true);
                batch.DecodeOrThrow(context.NativeHandle);
            }
            return clock.Elapsed.TotalMilliseconds / tokens;
        }

        double? LlamaBench()
        {
            if (llamaBench is null)
                return null;
            var start = new ProcessStartInfo(llamaBench) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-m", model, "-t", $"{threads}", "-p", "0", "-n", $"{tokens}", "-r", "1", "-o", "json" })
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            var rate = JsonDocument.Parse(output).RootElement[0].GetProperty("avg_ts").GetDouble();
            return 1000 / rate;
        }

        InProcess(); // warm-up, as llama-bench makes its own
        var ours = new List<double>();
        var theirs = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            ours.Add(InProcess());
            if (LlamaBench() is { } ms)
                theirs.Add(ms);
        }

        Console.WriteLine($"native decode, tg{tokens}, {threads} threads, {MachineFacts.Cpu()}; median of {rounds} alternated rounds; in process: {library}");
        Console.WriteLine("| decoder | ms per token | tokens/s | rounds (ms per token) |");
        Console.WriteLine("| --- | ---: | ---: | --- |");
        Row("LLamaSharp 0.30's library, in this process", ours);
        if (theirs.Count > 0)
            Row($"llama-bench ({Path.GetFileName(Path.GetDirectoryName(llamaBench))})", theirs);
        return 0;
    }

    private static void Row(string name, List<double> msPerToken)
    {
        var median = Percentiles.Median(msPerToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {median:F3} | {1000 / median:F0} | {string.Join(" ", msPerToken.Select(ms => ms.ToString("F3", CultureInfo.InvariantCulture)))} |"));
    }
}
