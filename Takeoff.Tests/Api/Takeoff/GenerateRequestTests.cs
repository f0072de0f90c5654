using System.Text.Json;
using Takeoff.Api.Takeoff;
using Takeoff.Api.Wire;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Text;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Api.Takeoff;

internal sealed class GenerateRequestTests
{
    private static GenerateRequest Parse(string json) => WireJson.Parse<GenerateRequest>(json);

    [Test]
    public void NullsMeanTakeoffsDefaults()
    {
        var request = Parse("""{ "text": "hi", "max_new_tokens": null, "sampling_topk": null, "sampling_temperature": null, "stop": null }""")
            .ToEngineRequest();

        Assert.That(request.MaxTokens, Is.EqualTo(128));
        Assert.That(request.Sampling.TopK, Is.EqualTo(1));
        Assert.That(request.Sampling.IsGreedy, Is.True);
        Assert.That(request.Target, Is.EqualTo("primary"));
        Assert.That(request.StopSequences, Is.Empty);
        Assert.That(request.Choices, Is.EqualTo(1));
    }

    [Test]
    public void OldName_GenerateMaxLength_MapsToMaxNewTokens() =>
        Assert.That(Parse("""{ "text": "hi", "generate_max_length": 7 }""").ToEngineRequest().MaxTokens, Is.EqualTo(7));

    [Test]
    public void NewName_WinsOverOldName() =>
        Assert.That(Parse("""{ "text": "hi", "generate_max_length": 7, "max_new_tokens": 9 }""").ToEngineRequest().MaxTokens,
            Is.EqualTo(9));

    [Test]
    public void ListOfPrompts_OnePromptEach_InOrder()
    {
        var request = Parse("""{ "text": ["a", "b", "c"], "sampling_topk": 5, "seed": 3 }""").ToEngineRequest();

        Assert.That(request.Prompts, Is.EqualTo(new Prompt[] { new Prompt.Text("a"), new Prompt.Text("b"), new Prompt.Text("c") }));
        Assert.That(request.Sampling.Seed, Is.EqualTo(3u));
    }

    [Test]
    public void UseChatTemplate_MakesTheTextTheOneUserTurnOfAConversation()
    {
        var prompt = Parse("""{ "text": "hi", "use_chat_template": true }""").ToEngineRequest().Prompts.Single();

        Assert.That(prompt, Is.TypeOf<Prompt.Chat>());
        Assert.That(((Prompt.Chat)prompt).Messages.Single(), Is.EqualTo(new ChatMessage("user", "hi")));
    }

    [Test]
    public void Stop_OneStringOrAList() =>
        Assert.Multiple(() =>
        {
            Assert.That(Parse("""{ "text": "hi", "stop": "\n" }""").ToEngineRequest().StopSequences, Is.EqualTo(new[] { "\n" }));
            Assert.That(Parse("""{ "text": "hi", "stop": ["a", "bc"] }""").ToEngineRequest().StopSequences, Is.EqualTo(new[] { "a", "bc" }));
        });

    // Mutation: naming MaxTokens "max_new_tokens" whatever was sent (as the API's one table once did). The field named
    // is the one whose value the engine got.
    [TestCase("""{ "text": "hi", "generate_max_length": 5 }""", "generate_max_length", 5)]
    [TestCase("""{ "text": "hi", "max_new_tokens": 5 }""", "max_new_tokens", 5)]
    [TestCase("""{ "text": "hi", "max_new_tokens": 5, "generate_max_length": 7 }""", "max_new_tokens", 5)]
    [TestCase("""{ "text": "hi" }""", "max_new_tokens", 128)]
    public void MaxTokens_IsNamedAsTheFieldThatSetIt(string json, string name, int tokens)
    {
        var request = Parse(json);

        Assert.That(request.NameOf(EngineInput.MaxTokens), Is.EqualTo(name));
        Assert.That(request.ToEngineRequest().MaxTokens, Is.EqualTo(tokens));
    }

    [Test]
    public void Response_KeepsTheShapeOfTheQuestion()
    {
        var one = JsonSerializer.Serialize(new GenerateResponse(OneOrMany.One("x"), OneOrMany.One("x"), null), WireJson.Options);
        var many = JsonSerializer.Serialize(new GenerateResponse(OneOrMany.Many(["x", "y"]), OneOrMany.Many(["x", "y"]), null), WireJson.Options);

        Assert.That(one, Is.EqualTo("""{"text":"x","message":"x"}"""));
        Assert.That(many, Is.EqualTo("""{"text":["x","y"],"message":["x","y"]}"""));
    }
}
