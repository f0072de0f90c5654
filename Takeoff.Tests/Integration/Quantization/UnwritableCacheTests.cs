namespace Takeoff.Tests.Integration.Quantization;

/// <summary>A models directory whose cache cannot be written: the reader that would quantize is dead, saying so.</summary>
internal sealed class UnwritableCacheTests
{
    [Test]
    public async Task QuantizingWhereTheCacheCannotBeWritten_IsADeadReaderSayingSo()
    {
        var models = Directory.CreateTempSubdirectory("takeoff-unwritable-").FullName;
        File.Copy(TestModels.Stories260K, Path.Combine(models, "stories260K.gguf"));
        // A file where the cache folder should be (the tests run as root, for whom no permission bit stops a write).
        await File.WriteAllTextAsync(Path.Combine(models, ".quantized"), "not a folder");
        try
        {
            await using var server = await TakeoffServer.StartWithModelsAsync([
                TakeoffServer.Stories260K("plain"),
                TakeoffServer.Stories260K("quantized", new { quantize = "q6_k", boot = false }),
            ], modelsDirectory: models);

            var id = await server.AddReaderAsync(new { model_name = "quantized", consumer_group = "q" }, untilState: "dead");
            var config = await server.Management.GetJsonAsync($"/config/{id}");

            Assert.That(config["error"]!.GetValue<string>(), Does.StartWith($"Model 'quantized': the quantized file cannot be written to {Path.Combine(models, ".quantized")}: "));
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }
}
