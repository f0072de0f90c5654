using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration.Readers;

/// <summary>/embed from an EMBEDDING reader (stories260K: embedding size 64, mean-pooled).</summary>
internal sealed class EmbedTests
{
    private const int Stories260KEmbeddingSize = 64;

    private static HttpClient Client => ReaderServer.Instance.Client;

    private static float[] Vector(JsonNode node) => node.AsArray().Select(v => v!.GetValue<float>()).ToArray();

    [Test]
    public async Task OneText_OneNormalizedVectorOfTheModelsEmbeddingSize()
    {
        var answer = await Client.PostJsonAsync("/embed", new { text = "Once upon a time", consumer_group = "embed" });

        var vector = Vector(answer["result"]!);
        Assert.That(vector, Has.Length.EqualTo(Stories260KEmbeddingSize));
        Assert.That(Math.Sqrt(vector.Sum(v => v * v)), Is.EqualTo(1.0).Within(1e-4));
    }

    [Test]
    public async Task ListOfTexts_OneVectorEach_IdenticalForIdenticalInputs()
    {
        var answer = await Client.PostJsonAsync("/embed",
            new { text = new[] { "The cat sat.", "The cat sat.", "A big red ball" }, consumer_group = "embed" });

        var vectors = answer["result"]!.AsArray().Select(v => Vector(v!)).ToArray();
        Assert.That(vectors, Has.Length.EqualTo(3));
        Assert.That(vectors[1], Is.EqualTo(vectors[0]));
        Assert.That(vectors[2], Is.Not.EqualTo(vectors[0]));
    }

    [Test]
    public async Task CausalOnlyGroup_400NamingConsumerGroup()
    {
        var problem = await Client.PostJsonAsync("/embed", new { text = "hi", consumer_group = "alpha" }, 400);

        Assert.That(problem["errors"]!["consumer_group"], Is.Not.Null, problem.ToJsonString());
    }

    [Test]
    public async Task GenerateOnEmbeddingGroup_400()
    {
        var problem = await Client.PostJsonAsync("/generate", new { text = "hi", consumer_group = "embed" }, 400);

        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("no CAUSAL reader"));
    }
}
