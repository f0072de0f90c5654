using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Takeoff.Tests.Integration;

/// <summary>Client mistakes get a 4xx problem-details answer that names the field; never a 500, never a hang.</summary>
internal sealed class BadInputTests
{
    private static HttpClient Client => SharedServer.Instance.Client;

    private static readonly string TooLongPrompt = string.Concat(Enumerable.Repeat("The cat sat on the mat. ", 400));

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Raw("/generate", "{\"text\": \"unclosed", 400, "text").SetName("MalformedJson");
        yield return Raw("/generate", "[1, 2]", 400, "$").SetName("BodyNotAnObject");
        yield return Body("/generate", new { max_new_tokens = 5 }, 400, "text").SetName("MissingText");
        yield return Body("/generate", new { text = "" }, 400, "text").SetName("EmptyText");
        yield return Body("/generate", new { text = Array.Empty<string>() }, 400, "text").SetName("EmptyTextList");
        yield return Body("/generate", new { text = 42 }, 400, "text").SetName("TextOfWrongType");
        yield return Body("/generate", new { text = "hi", max_new_tokens = "many" }, 400, "max_new_tokens").SetName("TokensOfWrongType");
        yield return Body("/generate", new { text = "hi", max_new_tokens = -1 }, 400, "max_new_tokens").SetName("NegativeMaxNewTokens");
        yield return Body("/generate", new { text = "hi", generate_max_length = -5 }, 400, "generate_max_length").SetName("NegativeGenerateMaxLength");
        yield return Body("/generate", new { text = "hi", min_new_tokens = -1 }, 400, "min_new_tokens").SetName("NegativeMinNewTokens");
        yield return Body("/generate", new { text = "hi", sampling_temperature = -0.5 }, 400, "sampling_temperature").SetName("NegativeTemperature");
        yield return Body("/generate", new { text = "hi", sampling_topp = 0 }, 400, "sampling_topp").SetName("TopPZero");
        yield return Body("/generate", new { text = "hi", sampling_topp = 1.5 }, 400, "sampling_topp").SetName("TopPAboveOne");
        yield return Body("/generate", new { text = "hi", sampling_topk = -1 }, 400, "sampling_topk").SetName("NegativeTopK");
        yield return Body("/generate", new { text = "hi", repetition_penalty = 0 }, 400, "repetition_penalty").SetName("ZeroRepetitionPenalty");
        yield return Body("/generate", new { text = "hi", prompt_max_tokens = 0 }, 400, "prompt_max_tokens").SetName("ZeroPromptMaxTokens");
        yield return Body("/generate", new { text = TooLongPrompt }, 400, "text").SetName("PromptLongerThanContext");
        yield return Body("/generate", new { text = new[] { "fine", TooLongPrompt } }, 400, "text").SetName("OnePromptOfListTooLong");
        yield return Body("/generate", new { text = "hi", consumer_group = "nope" }, 404, "nope").SetName("UnknownConsumerGroup");
        yield return Body("/generate_stream", new { text = new[] { "a", "b" } }, 400, "text").SetName("ListOnStream");
        yield return Body("/generate_stream", new { text = "hi", sampling_topp = 2 }, 400, "sampling_topp").SetName("StreamOutOfRange");
        yield return Body("/generate_stream", new { text = TooLongPrompt }, 400, "text").SetName("StreamPromptLongerThanContext");
        yield return Body("/generate_stream", new { text = "hi", consumer_group = "nope" }, 404, "nope").SetName("StreamUnknownConsumerGroup");
    }

    private static TestCaseData Body(string path, object body, int status, string field) =>
        new(path, JsonContent.Create(body), status, field);

    private static TestCaseData Raw(string path, string json, int status, string field) =>
        new(path, new StringContent(json, Encoding.UTF8, "application/json"), status, field);

    [TestCaseSource(nameof(Cases))]
    public async Task BadInput_AnsweredWithProblemDetailsNamingTheField(string path, HttpContent content, int status, string field)
    {
        using var response = await Client.PostAsync(path, content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = JsonNode.Parse(body)!;
        Assert.That(problem["status"]!.GetValue<int>(), Is.EqualTo(status));
        Assert.That(body, Does.Contain(field), "the answer must name the field at fault");
        Assert.That(body, Does.Not.Match("Sampling|MaxNewTokens|MinNewTokens|RepetitionPenalty|PromptMaxTokens"),
            "messages must use the wire names, not C# property names");
        Assert.That(problem["errors"]?.AsObject().Select(e => e.Key) ?? [], Has.All.Match(@"^(\$\.?)?[a-z_]*$"),
            "errors must be keyed by wire names");
    }

    [Test]
    public async Task BadInput_ServerStillServesAfterwards()
    {
        foreach (var testCase in Cases())
        {
            using var _ = await Client.PostAsync((string)testCase.Arguments[0]!,
                new StringContent("{\"text\": 1}", Encoding.UTF8, "application/json"));
        }

        var json = await Client.GenerateAsync(new { text = "Once upon a time", max_new_tokens = 3 });

        Assert.That(json["text"]!.GetValue<string>(), Is.Not.Empty);
    }
}
