using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LLama;
using LLama.Common;
using LLama.Native;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Takeoff.Api;
using Takeoff.Engine;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Native;
using Takeoff.Engine.Quantization;

namespace Takeoff.Bench;

/// <summary>
/// What quantization costs and buys: the source model and each type it is quantized to, side by side in size, load
/// time, quality (the passage's log-probability, greedy agreement with the source) and the engine's throughput.
/// Takeoff.Bench quantization --model PATH [--types q8_0,q4_0] [--threads N] [--out PATH] [--dequantize f16]
/// [--kv-cache-types f16,q8_0]
/// --dequantize TYPE first writes the model in TYPE and takes that as the source: a quantized model (bench-85M) becomes
/// a full-precision original to quantize from. --kv-cache-types runs the source at 16 streams with each KV cache type.
/// </summary>
internal static class QuantizationBench
{
    private const int Loads = 3;
    private const int GreedyTokens = 64;
    private const int StreamTokens = 128;
    private const int Waves = 2;
    private const int StreamContext = StreamTokens + 64;
    private static readonly int[] Concurrency = [1, 16];
    // A failed row's measurements are NaN: written as "NaN", not refused.
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private sealed record Row(
        string Model, string Type, string File, long Bytes, double? QuantizeSeconds, double LoadMs,
        int ScoredTokens, double MeanLogProb, double Perplexity, double DeltaLogProb, double FirstDivergenceMean, double SameTokensMean,
        int[] FirstDivergence, double TokensPerSecondAt1, double TokensPerSecondAt16, string? Note, string? Error = null);

    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string> options)
    {
        var source = Path.GetFullPath(options.GetValueOrDefault("model") ?? throw new ArgumentException("--model PATH is required"));
        var requested = (options.GetValueOrDefault("types") ?? "q8_0,q4_0").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => WeightTypes.TryParse(name) is { } type ? (Name: name.ToLowerInvariant(), Type: type)
                : throw new ArgumentException(WeightTypes.Problem(name)))
            .ToArray();
        var threads = options.TryGetValue("threads", out var t) ? int.Parse(t, CultureInfo.InvariantCulture) : Environment.ProcessorCount;
        var name = Path.GetFileNameWithoutExtension(source);
        var output = options.GetValueOrDefault("out") ?? Path.Combine("artifacts", $"quantization-{name}.json");
        var passage = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "quality-passage.txt"));

        // Before any other LLamaSharp call: llama.cpp's warnings (the quantizer's fallbacks) come to this log, not stderr.
        var native = new NativeLog();
        NativeBackend.EnsureLoaded(native);

        var scratch = Directory.CreateTempSubdirectory("takeoff-quant-");
        try
        {
            if (options.TryGetValue("dequantize", out var original))
            {
                var file = Path.Combine(scratch.FullName, $"{name}-{original}.gguf");
                if (!LLamaQuantizer.Quantize(source, file, WeightTypes.TryParse(original) ?? throw new ArgumentException(WeightTypes.Problem(original)),
                        threads, allowRequantize: true))
                    throw new InvalidOperationException($"llama.cpp could not write {name} in {original}: {NativeBackend.TakeLastError()}");
                (source, name) = (file, $"{name}-{original}");
            }
            Console.Error.WriteLine($"{name}: source");
            var (reference, greedy, machine) = await MeasureAsync(source, name, null, null, null, threads, passage, native);
            var rows = new List<Row> { reference };
            foreach (var (typeName, type) in requested)
            {
                Console.Error.WriteLine($"{name}: {typeName}");
                var file = Path.Combine(scratch.FullName, $"{name}-{typeName}.gguf");
                var clock = Stopwatch.StartNew();
                native.Drain();
                string? failure;
                try
                {
                    failure = LLamaQuantizer.Quantize(source, file, type, threads, allowRequantize: false) ? null : "llama_model_quantize failed";
                }
                catch (Exception e)
                {
                    failure = e.Message;
                }
                var seconds = clock.Elapsed.TotalSeconds;
                var log = native.Drain();
                if (failure is not null)
                {
                    // Say which tensor llama.cpp could not place: the legacy types have no fallback for a row of the wrong width.
                    var why = Native(log.LastOrDefault(l => l.Contains("failed to quantize:", StringComparison.Ordinal)), "failed to quantize:") ?? failure;
                    if (Native(log.FirstOrDefault(l => l.Contains("not divisible", StringComparison.Ordinal)), "warning:") is { } tensor)
                        why += $" ({tensor})";
                    rows.Add(Failed($"{name}-{typeName}", typeName, file, why));
                    continue;
                }
                // K-quants need rows divisible by 256; llama.cpp picks another type for the tensors that are not.
                var note = Native(log.LastOrDefault(l => l.Contains("required fallback quantization", StringComparison.Ordinal)), "WARNING:");
                try
                {
                    rows.Add((await MeasureAsync(file, $"{name}-{typeName}", seconds, reference, greedy, threads, passage, native)).Row with { Note = note });
                }
                catch (Exception e)
                {
                    // A quantized file llama.cpp writes but cannot use is a result too: its row says so, the others go on.
                    rows.Add(Failed($"{name}-{typeName}", typeName, file, e.Message));
                }
            }

            Print(machine, rows, reference);
            var kvRows = new List<KvRow>();
            foreach (var kvType in (options.GetValueOrDefault("kv-cache-types") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                Console.Error.WriteLine($"{name}: KV cache {kvType}");
                kvRows.Add(await KvCacheAsync(source, kvType, threads, native));
            }
            PrintKv(name, kvRows);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new
            {
                machine, quantize_threads = threads, greedy_prompts = Quality.Prompts, greedy_tokens = GreedyTokens,
                stream_tokens = StreamTokens, rows, kv_cache = kvRows,
            }, Json));
            Console.WriteLine($"\nwrote {Path.GetFullPath(output)}");
            return 0;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>The part of a llama.cpp log line after <paramref name="marker"/>, its runs of spaces made one.</summary>
    private static string? Native(string? line, string marker)
    {
        if (line is null)
            return null;
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        return string.Join(' ', (at < 0 ? line : line[(at + marker.Length)..]).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static Row Failed(string model, string type, string file, string error) =>
        new(model, type, Path.GetFileName(file), File.Exists(file) ? new FileInfo(file).Length : 0, null, double.NaN, 0, double.NaN, double.NaN,
            double.NaN, double.NaN, double.NaN, [], double.NaN, double.NaN, null, error.Trim());

    /// <summary>One model: its file, its loads, its quality against <paramref name="reference"/> (itself when null), its throughput.</summary>
    private static async Task<(Row Row, List<int[]> Greedy, Dictionary<string, string> Machine)> MeasureAsync(
        string path, string model, double? quantizeSeconds, Row? reference, List<int[]>? referenceGreedy, int threads, string passage, NativeLog native)
    {
        // On the CPU, as the quantizer runs: the same arithmetic for every file, so the differences are the weights'.
        var parameters = new ModelParams(path) { GpuLayerCount = 0 };
        // One untimed load first: the process's first pays llama.cpp's one-time setup, and the source may be cold on disk.
        LLamaWeights.LoadFromFile(parameters).Dispose();
        var loadMs = Enumerable.Range(0, Loads).Select(_ =>
        {
            var clock = Stopwatch.StartNew();
            using var loaded = LLamaWeights.LoadFromFile(parameters);
            return clock.Elapsed.TotalMilliseconds;
        }).ToArray();
        string fileType;
        Quality.PassageScore score;
        List<int[]> greedy;
        using (var weights = LLamaWeights.LoadFromFile(parameters))
        {
            fileType = WeightTypes.Name(weights.NativeHandle.FileType);
            score = Quality.ScorePassage(weights, passage, threads);
            greedy = Quality.Greedy(weights, Quality.Prompts, GreedyTokens, threads);
        }
        native.Drain();

        referenceGreedy ??= greedy;
        var agreement = greedy.Zip(referenceGreedy, (mine, theirs) => Quality.Agreement(theirs, mine, GreedyTokens)).ToArray();
        var (perSecond, machine, _) = await ThroughputAsync(path, threads, "f16", Concurrency);
        var row = new Row(model, fileType, Path.GetFileName(path), new FileInfo(path).Length, quantizeSeconds, loadMs.Average(),
            score.Tokens, score.MeanLogProb, score.Perplexity, score.MeanLogProb - (reference?.MeanLogProb ?? score.MeanLogProb),
            agreement.Average(a => a.FirstDivergence), agreement.Average(a => a.SamePositions), [.. agreement.Select(a => a.FirstDivergence)],
            perSecond[0], perSecond[1], null);
        return (row, greedy, machine);
    }

    /// <summary>Aggregate generated tokens/s through the real engine in process, greedy, as Program's engine mode measures.</summary>
    private static async Task<(double[] PerSecond, Dictionary<string, string> Machine, Takeoff.Engine.Readers.ReaderSnapshot Reader)> ThroughputAsync(
        string path, int threads, string kvCacheType, int[] levels)
    {
        var catalog = Path.Combine(Path.GetTempPath(), $"takeoff-quant-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(catalog, JsonSerializer.Serialize(new
        {
            models = new[] { new { name = "bench", file = Path.GetFileName(path), context_size = StreamContext,
                max_batch_size = levels.Max(), max_queue = levels.Max() * Waves, threads, kv_cache_type = kvCacheType } },
        }));
        try
        {
            await using var app = TakeoffApp.Create(["--port", "0", "--openai-port", "0", "--models-dir", Path.GetDirectoryName(path)!,
                "--models-file", catalog, "--Logging:LogLevel:Default=Warning"]);
            await app.StartAsync();
            var engine = app.Services.GetRequiredService<InferenceEngine>();
            var deadline = Stopwatch.StartNew();
            while (!engine.IsReady)
            {
                if (deadline.Elapsed > TimeSpan.FromMinutes(5))
                    throw new TimeoutException($"the engine did not load {Path.GetFileName(path)} in 5 minutes");
                await Task.Delay(50);
            }

            Task<int> Send(Action firstToken) => InProcessRequests.GreedyAsync(engine, "Once upon a time", StreamTokens, firstToken);

            await LoadGenerator.RunAsync("warmup", 4, 32, Send);
            var perSecond = new double[levels.Length];
            for (var i = 0; i < levels.Length; i++)
            {
                // At least 32 requests, as Program's levels: fewer streams of a tiny model last too little to time.
                var result = await LoadGenerator.RunAsync("engine", levels[i], Math.Max(levels[i] * Waves, 32), Send);
                perSecond[i] = result.Errors == 0 ? result.TokensPerSecond : double.NaN;
            }
            var reader = engine.Readers().Single();
            var machine = MachineFacts.Describe(path, reader, StreamContext);
            await app.StopAsync();
            return (perSecond, machine, reader);
        }
        finally
        {
            File.Delete(catalog);
        }
    }

    /// <param name="LlamaCppLine">llama.cpp's own account of the cache it allocated.</param>
    private sealed record KvRow(string Type, double TokensPerSecondAt16, long ReportedBytes, string LlamaCppLine);

    /// <summary>The source at 16 streams with a KV cache of <paramref name="kvType"/>: throughput and memory.</summary>
    private static async Task<KvRow> KvCacheAsync(string path, string kvType, int threads, NativeLog native)
    {
        native.Drain();
        var (perSecond, _, reader) = await ThroughputAsync(path, threads, kvType, [16]);
        var line = native.Drain().LastOrDefault(l => l.Contains("llama_kv_cache: size", StringComparison.Ordinal)) ?? "(not logged)";
        return new KvRow(kvType, perSecond[0], reader.Facts!.KvCacheBytes!.Value, Native(line, "llama.cpp:")!);
    }

    private static void PrintKv(string model, List<KvRow> rows)
    {
        if (rows.Count == 0)
            return;
        var f16 = rows.FirstOrDefault(r => r.Type == "f16");
        Console.WriteLine($"\n{model}, KV cache types at 16 streams ({StreamContext} tokens per slot, greedy, {StreamTokens} new tokens):\n");
        Console.WriteLine("| kv_cache_type | tok/s @16 | vs f16 | KV MiB (server's report) | llama.cpp's line |");
        Console.WriteLine("| --- | ---: | ---: | ---: | --- |");
        foreach (var r in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Type} | {r.TokensPerSecondAt16:F0} | {(f16 is null ? "-" : (r.TokensPerSecondAt16 / f16.TokensPerSecondAt16).ToString("F2", CultureInfo.InvariantCulture) + "x")} | {r.ReportedBytes / 1048576.0:F2} | {r.LlamaCppLine} |"));
    }

    private static void Print(Dictionary<string, string> machine, List<Row> rows, Row reference)
    {
        foreach (var (key, value) in machine.Where(p => p.Key != "model"))
            Console.WriteLine($"{key}: {value}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"quality: {reference.ScoredTokens} passage tokens scored; greedy agreement with {reference.Model} over {Quality.Prompts.Length} prompts x {GreedyTokens} tokens (CPU)"));
        Console.WriteLine($"throughput: the engine in process, greedy, exactly {StreamTokens} new tokens per stream\n");
        Console.WriteLine("| model | type | file MiB | quantize s | load ms | mean logprob/token | perplexity | Δ logprob vs source | greedy agreement (first divergence, mean of 8) | same tokens /64 | tok/s @1 | tok/s @16 |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            if (r.Error is not null)
            {
                Console.WriteLine($"| {r.Model} | {r.Type} | failed: {r.Error.ReplaceLineEndings(" ")} | - | - | - | - | - | - | - | - | - |");
                continue;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Model} | {r.Type} | {r.Bytes / 1048576.0:F3} | {(r.QuantizeSeconds is { } s ? s.ToString("F3", CultureInfo.InvariantCulture) : "-")} | {r.LoadMs:F1} | {r.MeanLogProb:F5} | {r.Perplexity:F4} | {r.DeltaLogProb:+0.00000;-0.00000;0} | {r.FirstDivergenceMean:F1} | {r.SameTokensMean:F1} | {r.TokensPerSecondAt1:F0} | {r.TokensPerSecondAt16:F0} |"));
        }
        foreach (var r in rows.Where(r => r.Note is not null))
            Console.WriteLine($"\n{r.Model}: {r.Note}");
    }

    /// <summary>Keeps llama.cpp's warnings and errors, to be read per step, instead of writing them out.</summary>
    private sealed class NativeLog : ILogger
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public List<string> Drain()
        {
            var lines = new List<string>();
            while (_lines.TryDequeue(out var line))
                lines.Add(line);
            return lines;
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        // Debug too: llama.cpp's informational lines (the KV cache's size among them) arrive at Debug.
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                _lines.Enqueue(formatter(state, exception));
        }
    }
}
