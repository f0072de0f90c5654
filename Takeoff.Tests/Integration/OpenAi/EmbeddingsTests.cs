using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenAI.Embeddings;

namespace Takeoff.Tests.Integration.OpenAi;

/// <summary>/v1/embeddings through the OpenAI SDK's EmbeddingClient and over raw HTTP.</summary>
internal sealed class EmbeddingsTests
{
    private static EmbeddingClient Embeddings(bool openAiPort = false) => OpenAiServer.Sdk(openAiPort).GetEmbeddingClient("embed");

    [Test]
    public async Task FloatAndBase64_SameVectors_SameAsTakeoffsEmbed()
    {
        // The SDK asks for base64 and decodes it itself.
        OpenAIEmbedding fromSdk = await Embeddings().GenerateEmbeddingAsync("Once upon a time");
        var asFloats = await OpenAiServer.Instance.Client.PostJsonAsync("/v1/embeddings",
            new { model = "embed", input = "Once upon a time", encoding_format = "float" });
        var takeoff = await OpenAiServer.Instance.Client.PostJsonAsync("/embed", new { text = "Once upon a time", consumer_group = "embed" });

        var floats = asFloats["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        Assert.That(fromSdk.ToFloats().ToArray(), Is.EqualTo(floats));
        Assert.That(floats, Is.EqualTo(takeoff["result"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray()));
        Assert.That(floats, Has.Length.EqualTo(64));
        Assert.That(asFloats["usage"]!["prompt_tokens"]!.GetValue<int>(), Is.EqualTo(5), "BOS + 4 tokens");
    }

    [Test]
    public async Task ListOfTexts_OneEmbeddingEach_InOrder()
    {
        OpenAIEmbeddingCollection many = await Embeddings().GenerateEmbeddingsAsync(["The cat sat.", "A big red ball", "The cat sat."]);

        Assert.That(many.Select(e => e.Index), Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(many[2].ToFloats().ToArray(), Is.EqualTo(many[0].ToFloats().ToArray()));
        Assert.That(many[1].ToFloats().ToArray(), Is.Not.EqualTo(many[0].ToFloats().ToArray()));
    }

    [Test]
    public async Task TokenIds_EmbeddedAsGiven_SameAsTheirText()
    {
        var reader = await OpenAiServer.Instance.ReaderIdAsync("embed");
        var ids = (await OpenAiServer.Instance.Client.PostJsonAsync($"/tokenize/{reader}", new { text = "Once upon a time" }))["token_ids"]!
            .AsArray().Select(t => t!.GetValue<int>()).ToArray();
        int[] withBos = [1, .. ids]; // text is embedded with stories260K's BOS (1) in front; ids exactly as given

        var fromIds = await OpenAiServer.Instance.Client.PostJsonAsync("/v1/embeddings", new { model = "embed", input = new[] { withBos, ids } });
        var fromText = await OpenAiServer.Instance.Client.PostJsonAsync("/v1/embeddings", new { model = "embed", input = "Once upon a time" });

        var vectors = fromIds["data"]!.AsArray().Select(d => d!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray()).ToArray();
        Assert.That(vectors[0], Is.EqualTo(fromText["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray()));
        Assert.That(vectors[1], Is.Not.EqualTo(vectors[0]));
        Assert.That(fromIds["usage"]!["total_tokens"]!.GetValue<int>(), Is.EqualTo(withBos.Length + ids.Length));
    }

    [Test]
    public async Task OnTheOpenAiPort_AsTakeoffsPythonClientSendsIt_AndNothingElseIsServedThere()
    {
        OpenAIEmbedding embedding = await Embeddings(openAiPort: true).GenerateEmbeddingAsync("Once upon a time");
        using var other = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{OpenAiServer.OpenAiPort}") };

        using var generate = await other.PostAsJsonAsync("/generate", new { text = "Once" });
        using var management = await other.GetAsync("/reader_groups");

        Assert.That(embedding.ToFloats().Length, Is.EqualTo(64));
        Assert.That((int)generate.StatusCode, Is.EqualTo(404));
        Assert.That((int)management.StatusCode, Is.EqualTo(404));
        Assert.That((await other.GetFromJsonAsync<JsonNode>("/v1/models"))!["data"]!.AsArray(), Is.Not.Empty);
    }

    [Test]
    public async Task GenerationGroup_400NamingModel()
    {
        var error = Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() =>
            OpenAiServer.Sdk().GetEmbeddingClient("chat").GenerateEmbeddingAsync("hi"))!;

        Assert.That(error.Status, Is.EqualTo(400));
        Assert.That(JsonNode.Parse(error.GetRawResponse()!.Content.ToString())!["error"]!["param"]!.GetValue<string>(), Is.EqualTo("model"));
        await Task.CompletedTask;
    }
}
