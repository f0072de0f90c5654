using System.Text.Json;
using Takeoff.Api.Contracts;

namespace Takeoff.Tests.Api.Contracts;

internal sealed class GenerateRequestTests
{
    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private static GenerateRequest Parse(string json) => JsonSerializer.Deserialize<GenerateRequest>(json, Wire)!;

    [Test]
    public void NullsMeanDefaults()
    {
        var request = Parse("""{ "text": "hi", "max_new_tokens": null, "sampling_topk": null, "sampling_temperature": null }""")
            .ToEngineRequests().Single();

        Assert.That(request.MaxNewTokens, Is.EqualTo(128));
        Assert.That(request.Sampling.TopK, Is.EqualTo(1));
        Assert.That(request.Sampling.IsGreedy, Is.True);
        Assert.That(request.ConsumerGroup, Is.EqualTo("primary"));
    }

    [Test]
    public void OldName_GenerateMaxLength_MapsToMaxNewTokens() =>
        Assert.That(Parse("""{ "text": "hi", "generate_max_length": 7 }""").ToEngineRequests().Single().MaxNewTokens, Is.EqualTo(7));

    [Test]
    public void NewName_WinsOverOldName() =>
        Assert.That(Parse("""{ "text": "hi", "generate_max_length": 7, "max_new_tokens": 9 }""").ToEngineRequests().Single().MaxNewTokens,
            Is.EqualTo(9));

    [Test]
    public void ListOfPrompts_OneEngineRequestEach_InOrder()
    {
        var requests = Parse("""{ "text": ["a", "b", "c"], "sampling_topk": 5, "seed": 3 }""").ToEngineRequests();

        Assert.That(requests.Select(r => r.Prompt), Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(requests.Select(r => r.Sampling.Seed), Is.All.EqualTo(3u));
    }

    [Test]
    public void Response_KeepsTheShapeOfTheQuestion()
    {
        var one = JsonSerializer.Serialize(new GenerateResponse(OneOrMany.One("x"), OneOrMany.One("x"), null), Wire);
        var many = JsonSerializer.Serialize(new GenerateResponse(OneOrMany.Many(["x", "y"]), OneOrMany.Many(["x", "y"]), null), Wire);

        Assert.That(one, Is.EqualTo("""{"text":"x","message":"x"}"""));
        Assert.That(many, Is.EqualTo("""{"text":["x","y"],"message":["x","y"]}"""));
    }
}
