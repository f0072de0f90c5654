using System.Net;
using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration.Quantization;

/// <summary>
/// Quantizing on load and the quantized KV cache, with llama.cpp's real quantizer on real files. The server has a
/// models directory of its own (the cache is written there): stories260K copied in, bench-85M linked.
/// </summary>
/// <remarks>
/// stories260K's FFN rows are 172 values wide, which this llama.cpp build cannot store in a 32-value block type
/// (q8_0, q4_0...) and has no fallback for; its k-quants fall back per tensor. So the model is quantized to q6_k here,
/// and q8_0 is the refusal case; bench-85M (a Q8_0 file) is the source for requantizing and the quantized KV cache.
/// </remarks>
internal sealed class QuantizationTests
{
    private string _models = null!;
    private TakeoffServer _server = null!;

    private string Cache => Path.Combine(_models, ".quantized");

    private static JsonObject Entry(string name, string file, object settings)
    {
        var entry = TakeoffServer.Stories260K(name, settings);
        entry["file"] = file;
        entry["boot"] ??= false;
        return entry;
    }

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _models = Directory.CreateTempSubdirectory("takeoff-quantize-").FullName;
        File.Copy(TestModels.Stories260K, Path.Combine(_models, "stories260K.gguf"));
        File.CreateSymbolicLink(Path.Combine(_models, "bench-85M-q8_0.gguf"), Path.Combine(TestModels.Directory, "bench-85M-q8_0.gguf"));
        const string Bench = "bench-85M-q8_0.gguf";
        _server = await TakeoffServer.StartWithModelsAsync([
            Entry("stories-q6", "stories260K.gguf", new { quantize = "q6_k", boot = true, consumer_group = "q6" }),
            Entry("stories-q8", "stories260K.gguf", new { quantize = "q8_0" }),
            Entry("stories-kv8", "stories260K.gguf", new { kv_cache_type = "q8_0" }),
            Entry("changing", "changing.gguf", new { quantize = "q6_k" }),
            Entry("swept", "swept.gguf", new { quantize = "q6_k" }),
            Entry("bench", Bench, new { max_batch_size = 2, context_size = 256 }),
            Entry("bench-q4", Bench, new { quantize = "q4_0", allow_requantize = true, max_batch_size = 2, context_size = 256, threads = 2 }),
            Entry("bench-kv8", Bench, new { kv_cache_type = "q8_0", max_batch_size = 2, context_size = 256 }),
        ], modelsDirectory: _models);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        await _server.DisposeAsync();
        Directory.Delete(_models, recursive: true);
    }

    private async Task<JsonNode> ReaderOf(string group) =>
        await _server.Management.GetJsonAsync($"/config/{await _server.ReaderIdAsync(group)}");

    /// <summary>After a refusal: the server still serves its boot reader.</summary>
    private async Task AssertStillAnswersAsync()
    {
        var answer = await _server.Client.GenerateAsync(new { text = "Once upon a time", consumer_group = "q6", max_new_tokens = 4 });
        Assert.That(answer["text"]!.GetValue<string>(), Is.Not.Empty, "the server survived");
    }

    private async Task RemoveAsync(string readerId)
    {
        using var removed = await _server.Management.DeleteAsync($"/reader/{readerId}");
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task BootEntry_IsQuantizedIntoTheCache_AndServes()
    {
        var cached = Path.Combine(Cache, $"stories260K-{TestModels.Stories260KSha256[..16]}-q6_k.gguf");

        var reader = await ReaderOf("q6");
        var answer = await _server.Client.GenerateAsync(new { text = "Once upon a time", consumer_group = "q6", max_new_tokens = 16 });
        var listed = (await _server.Management.GetJsonAsync("/status"))["status"]!["live_readers"]!.AsArray()
            .Single(r => r!["consumer_group"]!.GetValue<string>() == "q6")!;

        Assert.That(File.Exists(cached), Is.True, string.Join(", ", Directory.GetFiles(Cache)));
        Assert.That(reader["loaded_file"]!.GetValue<string>(), Is.EqualTo(cached));
        Assert.That(reader["weight_type"]!.GetValue<string>(), Is.EqualTo("q6_k"));
        Assert.That(reader["file_size_bytes"]!.GetValue<long>(), Is.EqualTo(new FileInfo(cached).Length)
            .And.LessThan(new FileInfo(TestModels.Stories260K).Length / 2));
        Assert.That(reader["quantize"]!.GetValue<string>(), Is.EqualTo("q6_k"));
        Assert.That(answer["text"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(listed["weight_type"]!.GetValue<string>(), Is.EqualTo("q6_k"));
        Assert.That(listed["file_size_bytes"]!.GetValue<long>(), Is.EqualTo(new FileInfo(cached).Length));
        Assert.That(listed["kv_cache_type"]!.GetValue<string>(), Is.EqualTo("f16"));
        // 5 layers × (K + V) × 32 values (64 wide, 8 heads, 4 KV heads) × 2,048 cells × 16 slots × 2 bytes.
        Assert.That(listed["kv_cache_bytes"]!.GetValue<long>(), Is.EqualTo(5L * 2 * 32 * 2048 * 16 * 2));
    }

    [Test]
    public async Task SecondLoad_ReusesTheCachedFile()
    {
        await ReaderOf("q6");
        var cached = Directory.GetFiles(Cache, "stories260K-*-q6_k.gguf").Single();
        var written = File.GetLastWriteTimeUtc(cached);

        var id = await _server.AddReaderAsync(new { model_name = "stories-q6", consumer_group = "q6-again" });
        var config = await _server.Management.GetJsonAsync($"/config/{id}");
        await RemoveAsync(id);

        Assert.That(config["loaded_file"]!.GetValue<string>(), Is.EqualTo(cached));
        Assert.That(File.GetLastWriteTimeUtc(cached), Is.EqualTo(written));
        Assert.That(Directory.GetFiles(Cache, "stories260K-*"), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task AChangedSource_IsQuantizedAgainUnderItsNewHash()
    {
        var source = Path.Combine(_models, "changing.gguf");
        File.Copy(TestModels.Stories260K, source, overwrite: true);
        var first = await _server.AddReaderAsync(new { model_name = "changing", consumer_group = "changing" });
        await RemoveAsync(first);
        File.Copy(Path.Combine(TestModels.Directory, "stories260K-chat.gguf"), source, overwrite: true);
        var second = await _server.AddReaderAsync(new { model_name = "changing", consumer_group = "changing" });
        await RemoveAsync(second);

        var files = Directory.GetFiles(Cache, "changing-*-q6_k.gguf").Select(Path.GetFileName).ToArray();
        Assert.That(files, Is.EquivalentTo(new[]
        {
            $"changing-{TestModels.Stories260KSha256[..16]}-q6_k.gguf",
            "changing-a3c3da57ac9c70fe-q6_k.gguf",
        }));
    }

    [Test]
    public async Task APartialFileAKilledProcessLeft_IsDeletedWhenItsTargetIsQuantized_ALiveOneIsNot()
    {
        File.Copy(Path.Combine(TestModels.Directory, "stories260K-chat.gguf"), Path.Combine(_models, "swept.gguf"), overwrite: true);
        Directory.CreateDirectory(Cache);
        var target = Path.Combine(Cache, "swept-a3c3da57ac9c70fe-q6_k.gguf");
        var abandoned = target + ".0123456789abcdef.partial";
        var live = target + ".fedcba9876543210.partial";
        await File.WriteAllTextAsync(abandoned, "half a model");
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddHours(-1));
        await File.WriteAllTextAsync(live, "another server's model, being written");

        var id = await _server.AddReaderAsync(new { model_name = "swept", consumer_group = "swept" });
        await RemoveAsync(id);

        Assert.That(File.Exists(abandoned), Is.False);
        Assert.That(File.Exists(live), Is.True);
        Assert.That(File.Exists(target), Is.True);
        File.Delete(live);
    }

    [Test]
    public async Task ATypeThisLlamaCppCannotStoreTheModelIn_IsADeadReaderSayingWhy_AndLeavesNoFile()
    {
        var id = await _server.AddReaderAsync(new { model_name = "stories-q8", consumer_group = "q8" }, untilState: "dead");
        var config = await _server.Management.GetJsonAsync($"/config/{id}");
        await RemoveAsync(id);

        Assert.That(config["error"]!.GetValue<string>(), Does.Contain("could not quantize").And.Contain("no tensor type fallback is defined for type q8_0")
            .And.Contain("a k-quant (q6_k, q4_k_m...) falls back per tensor"));
        Assert.That(Directory.GetFiles(Cache).Where(f => f.Contains("q8_0", StringComparison.Ordinal) || f.EndsWith(".partial", StringComparison.Ordinal)), Is.Empty);
        await AssertStillAnswersAsync();
    }

    [Test]
    public async Task RemovingTheReaderMidQuantization_LeavesNoFileBehind()
    {
        var created = await _server.Management.PostJsonAsync("/reader", new { model_name = "bench-q4", consumer_group = "q4" }, 201);
        var id = created["reader_id"]!.GetValue<string>();
        // The quantizer writes under a temporary name from its start: once that exists, it is under way.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Directory.Exists(Cache) || Directory.GetFiles(Cache, "bench-85M-q8_0-*.partial").Length == 0)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the quantization never started");
            await Task.Delay(2);
        }
        Assert.That(Directory.GetFiles(Cache, "bench-85M-q8_0-*-q4_0.gguf"), Is.Empty, "the quantization ended before the test could cancel it");

        await RemoveAsync(id);

        // llama.cpp's quantizer cannot be interrupted: its output is deleted when it returns.
        deadline = DateTime.UtcNow.AddSeconds(60);
        while (Directory.GetFiles(Cache, "bench-85M-q8_0-*").Length > 0)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "a file was left behind: " + string.Join(", ", Directory.GetFiles(Cache)));
            await Task.Delay(20);
        }
        using var gone = await _server.Management.GetAsync($"/config/{id}");
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task RequantizingAQuantizedFile_IsRefusedUnlessAllowed()
    {
        var refused = await _server.Management.PostJsonAsync("/reader", new { model_name = "bench", quantize = "q4_0" }, 400);
        var allowed = await _server.AddReaderAsync(new { model_name = "bench", quantize = "q4_0", allow_requantize = true, consumer_group = "requantized" });
        var config = await _server.Management.GetJsonAsync($"/config/{allowed}");
        await RemoveAsync(allowed);

        Assert.That(refused["errors"]!["quantize"]![0]!.GetValue<string>(), Does.Contain("is already quantized (q8_0)").And.Contain("allow_requantize: true"));
        await AssertStillAnswersAsync();
        Assert.That(config["weight_type"]!.GetValue<string>(), Is.EqualTo("q4_0"));
        Assert.That(config["file_size_bytes"]!.GetValue<long>(), Is.LessThan(new FileInfo(Path.Combine(TestModels.Directory, "bench-85M-q8_0.gguf")).Length * 6 / 10));
    }

    [Test]
    public async Task QuantizingToTheSourcesOwnType_LoadsTheSourceAsItIs()
    {
        var id = await _server.AddReaderAsync(new { model_name = "bench", quantize = "q8_0", consumer_group = "same-type" });
        var config = await _server.Management.GetJsonAsync($"/config/{id}");
        await RemoveAsync(id);

        Assert.That(config["loaded_file"]!.GetValue<string>(), Is.EqualTo(Path.Combine(_models, "bench-85M-q8_0.gguf")));
        Assert.That(config["weight_type"]!.GetValue<string>(), Is.EqualTo("q8_0"));
    }

    [TestCase("quantize", "q9_9", "'q9_9' is not a weight type this server can quantize to; use one of q8_0, q6_k, q5_k_m")]
    [TestCase("kv_cache_type", "q5", "'q5' is not a KV cache type; use one of f16, q8_0, q4_0.")]
    public async Task UnknownTypes_Are400sListingTheValidOnes(string field, string value, string message)
    {
        var refused = await _server.Management.PostJsonAsync("/reader", new JsonObject { ["model_name"] = "stories-q6", [field] = value }, 400);

        Assert.That(refused["errors"]![field]![0]!.GetValue<string>(), Does.Contain(message));
        await AssertStillAnswersAsync();
    }

    [Test]
    public async Task QuantizedKvCache_Serves_AndReportsItsMemory()
    {
        var quantized = await _server.AddReaderAsync(new { model_name = "bench-kv8", consumer_group = "kv8" });
        var plain = await _server.AddReaderAsync(new { model_name = "bench", consumer_group = "kv16" });
        var answer = await _server.Client.GenerateAsync(new
        {
            text = "Once upon a time", consumer_group = "kv8", max_new_tokens = 8, min_new_tokens = 8, return_metadata = true,
        });
        var kv8 = await _server.Management.GetJsonAsync($"/config/{quantized}");
        var kv16 = await _server.Management.GetJsonAsync($"/config/{plain}");
        await RemoveAsync(quantized);
        await RemoveAsync(plain);

        Assert.That(answer["metadata"]!["generated_tokens"]!.GetValue<int>(), Is.EqualTo(8));
        Assert.That(kv8["kv_cache_type"]!.GetValue<string>(), Is.EqualTo("q8_0"));
        Assert.That(kv16["kv_cache_type"]!.GetValue<string>(), Is.EqualTo("f16"));
        // 12 layers × (K + V) × 768 values × 512 cells (2 slots of 256): 2 bytes a value in f16, 34 per 32 in q8_0.
        Assert.That(kv16["kv_cache_bytes"]!.GetValue<long>(), Is.EqualTo(12L * 2 * 768 * 512 * 2));
        Assert.That(kv8["kv_cache_bytes"]!.GetValue<long>(), Is.EqualTo(12L * 2 * 768 * 512 * 34 / 32));
    }

    [Test]
    public async Task QuantizedKvCache_OnHeadsNotAMultipleOf32Wide_IsADeadReaderSayingSo()
    {
        var id = await _server.AddReaderAsync(new { model_name = "stories-kv8", consumer_group = "kv8-small" }, untilState: "dead");
        var config = await _server.Management.GetJsonAsync($"/config/{id}");
        await RemoveAsync(id);

        Assert.That(config["error"]!.GetValue<string>(),
            Does.Contain("kv_cache_type q8_0 stores the cache in blocks of 32 values, but each attention head of this model holds 8; use f16."));
        await AssertStillAnswersAsync();
    }
}
