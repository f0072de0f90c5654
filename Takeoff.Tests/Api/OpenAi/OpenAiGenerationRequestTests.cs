using Takeoff.Api.OpenAi;
using Takeoff.Engine.Errors;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Api.OpenAi;

/// <summary>A /v1 request names each engine input by the field the client sent, among the ones that could have set it.</summary>
internal sealed class OpenAiGenerationRequestTests
{
    // Mutation: naming the JSON Schema "response_format" whatever carried it.
    [TestCase("""{ "prompt": "hi", "json_schema": { "type": "object" } }""", "json_schema")]
    [TestCase("""{ "prompt": "hi", "response_format": { "type": "json_object" } }""", "response_format")]
    [TestCase("""{ "prompt": "hi", "response_format": { "type": "json_schema", "json_schema": { "schema": { "type": "object" } } } }""", "response_format")]
    public void JsonSchema_IsNamedAsTheFieldThatCarriedIt(string json, string name) =>
        Assert.That(WireJson.Parse<CompletionRequest>(json).NameOf(EngineInput.JsonSchema), Is.EqualTo(name));

    [TestCase("""{ "messages": [], "max_completion_tokens": 5 }""", "max_completion_tokens")]
    [TestCase("""{ "messages": [], "max_tokens": 5, "max_completion_tokens": 7 }""", "max_completion_tokens")]
    [TestCase("""{ "messages": [], "max_tokens": 5 }""", "max_tokens")]
    public void ChatMaxTokens_IsNamedAsTheFieldThatSetIt(string json, string name) =>
        Assert.That(WireJson.Parse<ChatCompletionRequest>(json).NameOf(EngineInput.MaxTokens), Is.EqualTo(name));

    [Test]
    public void EachEndpoint_NamesItsOwnPromptAndLogprobs_AndSharesTheRest() =>
        Assert.Multiple(() =>
        {
            var chat = WireJson.Parse<ChatCompletionRequest>("{}");
            var completion = WireJson.Parse<CompletionRequest>("{}");
            Assert.That((chat.NameOf(EngineInput.Prompt), completion.NameOf(EngineInput.Prompt)), Is.EqualTo(("messages", "prompt")));
            Assert.That((chat.NameOf(EngineInput.Logprobs), completion.NameOf(EngineInput.Logprobs)), Is.EqualTo(("top_logprobs", "logprobs")));
            Assert.That((chat.NameOf(EngineInput.Target), completion.NameOf(EngineInput.Target)), Is.EqualTo(("model", "model")));
            Assert.That(completion.NameOf(EngineInput.Tools), Is.Null, "completions take no tools");
        });
}
