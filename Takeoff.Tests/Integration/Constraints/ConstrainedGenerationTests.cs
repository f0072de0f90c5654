using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using Takeoff.Engine.Sampling.Constraints;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Integration.Constraints;

/// <summary>Structured output through both APIs: streaming, choices, the grammar against min_new_tokens, refusals.</summary>
internal sealed class ConstrainedGenerationTests
{
    private const string PersonSchema = """
        { "type": "object", "properties": { "name": { "type": "string", "maxLength": 16 },
          "age": { "type": "integer", "minimum": 1, "maximum": 120 }, "pets": { "type": "array", "items": { "enum": ["cat", "dog"] }, "maxItems": 3 } },
          "required": ["name", "age", "pets"], "additionalProperties": false }
        """;

    private static HttpClient Client => ConstrainedServer.Instance.Client;

    [Test]
    public async Task Sse_EveryStreamedPrefixIsAPrefixOfAValidDocument_AndTheEndParses()
    {
        var grammar = GbnfRecognizer.For(JsonSchemaGrammar.ToGbnf(JsonDocument.Parse(PersonSchema).RootElement));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/generate_stream")
        {
            Content = JsonContent.Create(new
            {
                text = "Once upon a time", json_schema = JsonNode.Parse(PersonSchema), max_new_tokens = 200,
                sampling_topk = 0, seed = 11, return_metadata = true,
            }),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        var text = "";
        var pieces = 0;
        JsonNode? metadata = null;
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            if (item.EventType == "metadata")
            {
                metadata = JsonNode.Parse(item.Data);
                continue;
            }
            text += item.Data;
            pieces++;
            Assert.That(grammar.IsPrefix(text), Is.True, $"streamed text left the grammar: {text}");
        }

        Assert.That(pieces, Is.GreaterThan(5));
        Assert.That(metadata?["finish_reason"]?.GetValue<string>(), Is.EqualTo("eos"), text);
        var person = JsonNode.Parse(text)!;
        Assert.That(person["age"]!.GetValue<int>(), Is.InRange(1, 120));
        Assert.That(person.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "name", "age", "pets" }));
    }

    [Test]
    public async Task GrammarComplete_EndsTheGeneration_EvenWithMinNewTokensLeft()
    {
        var answer = await Client.GenerateAsync(new
        {
            text = "Once upon a time", grammar = """root ::= "yes" | "no" """, min_new_tokens = 40, max_new_tokens = 60,
            return_metadata = true,
        });

        Assert.That(answer["text"]!.GetValue<string>(), Is.AnyOf("yes", "no"));
        Assert.That(answer["metadata"]!["finish_reason"]!.GetValue<string>(), Is.EqualTo("eos"));
        Assert.That(answer["metadata"]!["generated_tokens"]!.GetValue<int>(), Is.LessThan(40), "the grammar wins over min_new_tokens");
    }

    [Test]
    public async Task RegexWinsOverJsonSchema_AsTheTakeoffClientDocuments()
    {
        var answer = await Client.GenerateAsync(new
        {
            text = "Once upon a time", regex_string = "[0-9]{3}", json_schema = JsonNode.Parse(PersonSchema), return_metadata = true,
        });

        Assert.That(answer["text"]!.GetValue<string>(), Does.Match("^[0-9]{3}$"));
    }

    [Test]
    public async Task OpenAiSdk_JsonSchemaResponseFormat_ThreeChoicesEachValid()
    {
        var client = new OpenAIClient(new System.ClientModel.ApiKeyCredential("no-key"),
            new OpenAIClientOptions { Endpoint = new Uri(Client.BaseAddress!, "/v1") }).GetChatClient("primary");
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("person", BinaryData.FromString(PersonSchema), jsonSchemaIsStrict: true),
            MaxOutputTokenCount = 800, Temperature = 1, // bounded whitespace is still up to 21 characters a gap: room to finish
        };
        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Describe a person.")], options);
        var three = await Client.PostJsonAsync("/v1/completions", new
        {
            prompt = "Once upon a time", n = 3, max_tokens = 800, temperature = 1, seed = 9,
            response_format = new { type = "json_schema", json_schema = new { name = "person", schema = JsonNode.Parse(PersonSchema) } },
        });

        Assert.That(completion.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(JsonNode.Parse(completion.Content.Single().Text)!["pets"], Is.TypeOf<JsonArray>());
        var texts = three["choices"]!.AsArray().Select(c => c!["text"]!.GetValue<string>()).ToArray();
        Assert.That(texts, Has.Length.EqualTo(3));
        foreach (var text in texts)
            Assert.That(JsonNode.Parse(text)!["age"]!.GetValue<int>(), Is.InRange(1, 120), text);
    }

    [Test]
    public async Task JsonObjectResponseFormat_AnObject()
    {
        var answer = await Client.PostJsonAsync("/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = "Hi" } }, response_format = new { type = "json_object" },
            max_tokens = 300, seed = 3,
        });

        var text = answer["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        var finish = answer["choices"]![0]!["finish_reason"]!.GetValue<string>();
        if (finish == "stop")
            Assert.That(JsonNode.Parse(text), Is.TypeOf<JsonObject>(), text);
        else
            Assert.That(GbnfRecognizer.For(JsonSchemaGrammar.AnyObject).IsPrefix(text), Is.True, text);
        Assert.That(text, Does.StartWith("{"));
    }

    [TestCase("""root ::= "a" root | "b" """, true)]
    [TestCase("""root ::= expr  expr ::= expr "+" "1" | "1" """, false)]
    [TestCase("""root ::= "unterminated""", false)]
    [TestCase("""root ::= [z-a]""", false)]
    [TestCase("""notroot ::= "a" """, false)]
    [TestCase("""root ::= undefined-rule""", false)]
    [TestCase("""root ::= "a"{3,1}""", false)]
    public async Task Grammars_BrokenOnes400NamingGrammar_AndTheServerAnswersAfterwards(string grammar, bool valid)
    {
        using var response = await Client.PostAsJsonAsync("/generate", new { text = "Once", grammar, max_new_tokens = 12 });
        var body = await response.Content.ReadAsStringAsync();
        var next = await Client.GenerateAsync(new { text = "Once upon a time", max_new_tokens = 3 });

        Assert.That((int)response.StatusCode, Is.EqualTo(valid ? 200 : 400), body);
        if (!valid)
            Assert.That(JsonNode.Parse(body)!["errors"]!["grammar"], Is.Not.Null, body);
        Assert.That(next["text"]!.GetValue<string>(), Is.Not.Empty, "the server survived");
    }

    [TestCase("""{ "type": "number", "multipleOf": 5 }""", "multipleOf")]
    [TestCase("""{ "type": "object", "patternProperties": { "^x": {} } }""", "patternProperties")]
    [TestCase("""{ "type": "bogus" }""", "bogus")]
    [TestCase("""{ "$ref": "#/$defs/missing" }""", "missing")]
    [TestCase("""{ "type": "string", "format": "email" }""", "email")]
    public async Task Schemas_UnenforceableOrBroken_400NamingTheKeyword(string schema, string named)
    {
        var problem = await Client.PostJsonAsync("/generate", new { text = "Once", json_schema = JsonNode.Parse(schema) }, 400);

        Assert.That(problem["errors"]!["json_schema"]![0]!.GetValue<string>(), Does.Contain(named));
    }

    [TestCase(@"(a)\1", "back")]
    [TestCase("(?=a)b", "look")]
    [TestCase("(ab", "")]
    [TestCase("[b-a]", "")]
    public async Task Regexes_Unsupported_400NamingRegexString(string pattern, string named)
    {
        var problem = await Client.PostJsonAsync("/generate", new { text = "Once", regex_string = pattern }, 400);

        Assert.That(problem["errors"]!["regex_string"]![0]!.GetValue<string>().ToLowerInvariant(), Does.Contain(named));
    }
}
