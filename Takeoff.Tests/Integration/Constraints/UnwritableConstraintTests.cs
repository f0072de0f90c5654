using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration.Constraints;

/// <summary>
/// A constraint the model's vocabulary cannot write: bench-85M has its byte tokens marked as control tokens, so no
/// token of it writes "{". The grammar leaves the sampler no token; that is a 400 on the constraint, not a crash.
/// </summary>
internal sealed class UnwritableConstraintTests
{
    [Test]
    public async Task AJsonObjectTheVocabularyCannotWrite_Is400NamingJsonSchema_AndTheServerAnswersAfterwards()
    {
        var bench = TakeoffServer.Stories260K("bench", new { max_batch_size = 2, context_size = 256 });
        bench["file"] = "bench-85M-q8_0.gguf";
        await using var server = await TakeoffServer.StartWithModelsAsync([bench]);

        using var response = await server.Client.PostAsJsonAsync("/generate",
            new { text = "Once upon a time", json_schema = JsonNode.Parse("""{ "type": "object" }"""), max_new_tokens = 16 });
        var body = await response.Content.ReadAsStringAsync();
        var next = await server.Client.GenerateAsync(new { text = "Once upon a time", max_new_tokens = 4, min_new_tokens = 4 });

        Assert.That((int)response.StatusCode, Is.EqualTo(400), body);
        Assert.That(JsonNode.Parse(body)!["errors"]!["json_schema"]![0]!.GetValue<string>(),
            Does.Contain("needs text that no token of this model's vocabulary can write"));
        Assert.That(next["text"]!.GetValue<string>(), Is.Not.Empty, "the server survived");
    }
}
