using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration.OpenAi;

/// <summary>/v1 mistakes get OpenAI's error shape, a 4xx, and the field at fault in <c>param</c>; never a 500.</summary>
internal sealed class OpenAiBadInputTests
{
    private static readonly object[] Hi = [new { role = "user", content = "Hi" }];

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Chat(new { messages = Hi, temperature = -1 }, "temperature").SetName("NegativeTemperature");
        yield return Chat(new { messages = Hi, temperature = "hot" }, "temperature").SetName("TemperatureOfWrongType");
        yield return Chat(new { messages = Hi, top_p = 1.5 }, "top_p").SetName("TopPAboveOne");
        yield return Chat(new { messages = Hi, n = 0 }, "n").SetName("ZeroChoices");
        yield return Chat(new { messages = Hi, n = 5 }, "n").SetName("MoreChoicesThanSlots");
        yield return Chat(new { messages = Hi, max_tokens = 0 }, "max_tokens").SetName("ZeroMaxTokens");
        yield return Chat(new { messages = Hi, top_logprobs = 3 }, "top_logprobs").SetName("TopLogprobsWithoutLogprobs");
        yield return Chat(new { messages = Hi, logprobs = true, top_logprobs = 21 }, "top_logprobs").SetName("TooManyTopLogprobs");
        yield return Chat(new { messages = Hi, presence_penalty = 3 }, "presence_penalty").SetName("PresencePenaltyOutOfRange");
        yield return Chat(new { messages = Hi, stop = new[] { "" } }, "stop").SetName("EmptyStopSequence");
        yield return Chat(new { messages = Hi, stop = Enumerable.Range(0, 17).Select(i => $"s{i}").ToArray() }, "stop").SetName("TooManyStopSequences");
        yield return Chat(new { messages = Hi, response_format = new { type = "yaml" } }, "response_format").SetName("UnknownResponseFormat");
        yield return Chat(new { messages = Hi, response_format = new { type = "json_schema" } }, "response_format").SetName("JsonSchemaFormatWithoutSchema");
        yield return Chat(new { messages = Hi, response_format = new { type = "json_object" }, grammar = "root ::= \"a\"" }, "grammar").SetName("TwoConstraints");
        yield return Chat(new { messages = Hi, response_format = new { type = "json_schema", json_schema = new { schema = new { type = "number", multipleOf = 3 } } } }, "response_format").SetName("UnenforceableKeyword");
        // The same schema through the json_schema extension is json_schema's fault, not response_format's (not sent).
        yield return Chat(new { messages = Hi, json_schema = new { type = "number", multipleOf = 3 } }, "json_schema").SetName("UnenforceableKeywordInJsonSchemaExtension");
        yield return Completion(new { prompt = "Once", json_schema = new { type = "number", multipleOf = 3 } }, "json_schema").SetName("CompletionUnenforceableKeywordInJsonSchemaExtension");
        yield return Chat(new { messages = Hi, grammar = "root ::= \"unclosed" }, "grammar").SetName("BrokenGrammar");
        yield return Chat(new { messages = Hi, tool_choice = "required" }, "tool_choice").SetName("ToolChoiceRequired");
        yield return Chat(new { messages = Hi, functions = new[] { new { name = "f" } } }, "functions").SetName("LegacyFunctions");
        yield return Chat(new { messages = Hi, tools = Weather, tool_choice = new { type = "function", function = new { name = "get_time" } } }, "tool_choice").SetName("ToolChoiceNamingAnUnknownFunction");
        yield return Chat(new { messages = Hi, tools = Weather, tool_choice = "always" }, "tool_choice").SetName("UnknownToolChoice");
        yield return Chat(new { messages = Hi, tools = new[] { new { type = "retrieval" } } }, "tools").SetName("ToolOfUnknownType");
        yield return Chat(new { messages = Hi, tools = new[] { new { type = "function", function = new { description = "no name" } } } }, "tools").SetName("ToolWithoutName");
        yield return Chat(new { messages = Hi, tools = new[] { new { type = "function", function = new { name = "f", parameters = "object" } } } }, "tools").SetName("ToolParametersNotASchema");
        yield return Chat(new { messages = Hi, tools = "get_weather" }, "tools").SetName("ToolsNotAList");
        yield return Chat(new { messages = Hi, tool_choice = "required", tools = new[] { new { type = "function", function = new { name = "f", strict = true,
            parameters = new { type = "object", properties = new { n = new { type = "number", multipleOf = 3 } } } } } } }, "tools").SetName("StrictSchemaTheGrammarCannotEnforce");
        yield return Chat(new { messages = Hi, tools = Weather, tool_choice = "required", response_format = new { type = "json_object" } }, "tool_choice").SetName("ForcedCallWithResponseFormat");
        yield return Chat(new { messages = new object[] { new { role = "assistant", tool_calls = new[] { new { id = "c1", type = "function", function = new { name = "get_weather", arguments = "{not json" } } } } } }, "messages").SetName("ToolCallArgumentsNotJson");
        yield return Chat(new { messages = Hi, logit_bias = new Dictionary<string, int> { ["fifty"] = 100 } }, "logit_bias").SetName("LogitBiasKeyNotATokenId");
        yield return Chat(new { messages = Hi, logit_bias = new Dictionary<string, int> { ["-5"] = 100 } }, "logit_bias").SetName("LogitBiasNegativeTokenId");
        yield return Chat(new { messages = Hi, logit_bias = new Dictionary<string, int> { ["50"] = 101 } }, "logit_bias").SetName("LogitBiasAboveHundred");
        yield return Chat(new { messages = Hi, logit_bias = new Dictionary<string, int> { ["100000"] = 5 } }, "logit_bias").SetName("LogitBiasTokenOutsideVocabulary");
        yield return Chat(new { messages = Hi, logit_bias = Enumerable.Range(0, 1025).ToDictionary(i => $"{i}", _ => 1) }, "logit_bias").SetName("LogitBiasTooManyTokens");
        yield return Completion(new { prompt = "Once", logit_bias = new Dictionary<string, string> { ["5"] = "high" } }, "logit_bias.5").SetName("LogitBiasNotANumber");
        yield return Chat(new { messages = Array.Empty<object>() }, "messages").SetName("NoMessages");
        yield return Chat(new { model = "chat" }, "messages").SetName("MissingMessages");
        yield return Chat(new { messages = new[] { new { role = "tool", content = "42" } } }, "messages").SetName("ToolMessageWithoutToolCallId");
        yield return Chat(new { messages = new[] { new { role = "wizard", content = "Hi" } } }, "messages").SetName("UnknownRole");
        yield return Chat(new { messages = new[] { new { role = "user" } } }, "messages").SetName("NoContent");
        yield return Chat(new { messages = "Hi" }, "messages").SetName("MessagesNotAList");
        yield return Chat(new { messages = Hi, max_tokens = 10, stream = "yes" }, "stream").SetName("StreamOfWrongType");
        yield return Chat(new { messages = new[] { new { role = "user", content = new string('x', 20000) } } }, "messages").SetName("PromptLongerThanContext");
        yield return Completion(new { prompt = "Once", echo = true }, "echo").SetName("Echo");
        yield return Completion(new { prompt = "Once", suffix = "end" }, "suffix").SetName("Suffix");
        yield return Completion(new { prompt = "Once", best_of = 3 }, "best_of").SetName("BestOf");
        yield return Completion(new { prompt = Array.Empty<string>() }, "prompt").SetName("EmptyPromptList");
        yield return Completion(new { prompt = "Once", logprobs = 30 }, "logprobs").SetName("TooManyLogprobs");
        yield return new TestCaseData("/v1/embeddings", JsonContent.Create(new { model = "embed", input = "a", dimensions = 8 }), "dimensions").SetName("Dimensions");
        yield return new TestCaseData("/v1/embeddings", JsonContent.Create(new { model = "embed", input = new object[] { "a", 1 } }), "input").SetName("MixedInput");
        yield return new TestCaseData("/v1/embeddings", JsonContent.Create(new { model = "embed", input = new[] { 1, 100000 } }), "input").SetName("TokenOutsideVocabulary");
        yield return new TestCaseData("/v1/embeddings", JsonContent.Create(new { model = "embed", input = "a", encoding_format = "hex" }), "encoding_format").SetName("UnknownEncoding");
    }

    private static readonly object[] Weather =
        [new { type = "function", function = new { name = "get_weather", parameters = new { type = "object", properties = new { city = new { type = "string" } } } } }];

    private static TestCaseData Chat(object body, string param) =>
        new("/v1/chat/completions", JsonContent.Create(WithModel(body, "chat")), param);

    private static TestCaseData Completion(object body, string param) =>
        new("/v1/completions", JsonContent.Create(WithModel(body, "plain")), param);

    private static JsonObject WithModel(object body, string model)
    {
        var json = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(body))!.AsObject();
        json["model"] ??= model;
        return json;
    }

    [TestCaseSource(nameof(Cases))]
    public async Task BadInput_400InOpenAisShape_NamingTheParam(string path, HttpContent content, string param)
    {
        using var response = await OpenAiServer.Instance.Client.PostAsync(path, content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(400), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.That(error["type"]!.GetValue<string>(), Is.EqualTo("invalid_request_error"));
        Assert.That(error["param"]?.GetValue<string>(), Is.EqualTo(param), body);
        Assert.That(error["message"]!.GetValue<string>(), Does.Not.Contain("System."), "no CLR type names");
    }

    [Test]
    public async Task MalformedJson_400InOpenAisShape()
    {
        using var response = await OpenAiServer.Instance.Client.PostAsync("/v1/chat/completions",
            new StringContent("{\"messages\": [", Encoding.UTF8, "application/json"));

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>(),
            Is.EqualTo("invalid_request_error"));
    }

    [Test]
    public async Task BodyNotJson_415InOpenAisShape()
    {
        using var response = await OpenAiServer.Instance.Client.PostAsync("/v1/chat/completions",
            new StringContent("{\"messages\": []}", Encoding.UTF8, "text/plain"));

        Assert.That((int)response.StatusCode, Is.EqualTo(415));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>(),
            Does.Contain("application/json"));
    }

    [Test]
    public async Task UnknownKeys_AreIgnored()
    {
        var answer = await OpenAiServer.Instance.Client.PostJsonAsync("/v1/chat/completions", new
        {
            model = "chat", messages = Hi, max_tokens = 2, some_future_key = new { nested = true }, user = "someone",
            parallel_tool_calls = false, tool_choice = "none", response_format = new { type = "text" },
        });

        Assert.That(answer["choices"]![0]!["message"]!["content"]!.GetValue<string>(), Is.Not.Empty);
    }
}
