using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Takeoff.Engine.Sampling.Constraints;
using Takeoff.Tests.Engine.Sampling.Constraints;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Integration.Constraints;

/// <summary>
/// Issue 17's probes through real HTTP: a constraint too expensive for llama.cpp is a quick 400 and the server goes
/// on answering; large word lists run as tries while another client's short request still answers within a second;
/// a grammar that passes admission but takes more of the loop than its budget ends with a 400 that says so.
/// </summary>
internal sealed class ConstraintCostServerTests
{
    private static HttpClient Client => ConstrainedServer.Instance.Client;

    private static async Task<(int Status, string Body, TimeSpan Took)> PostAsync(HttpClient client, object body)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync("/generate", body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text, watch.Elapsed);
    }

    private static async Task AnswersAsync(HttpClient client)
    {
        var next = await client.GenerateAsync(new { text = "Once upon a time", max_new_tokens = 4, min_new_tokens = 4 });
        Assert.That(next["text"]!.GetValue<string>(), Is.Not.Empty, "the server answers afterwards");
    }

    /// <summary>Runs <paramref name="constrained"/> while another client sends 4-token requests one after the other; returns the slowest.</summary>
    private static async Task<(int Status, string Body, TimeSpan SlowestOther, int Others)> WhileOthersAskAsync(object constrained)
    {
        var running = PostAsync(Client, constrained);
        var slowest = TimeSpan.Zero;
        var others = 0;
        do
        {
            var (status, body, took) = await PostAsync(Client, new { text = "Once upon a time", max_new_tokens = 4, min_new_tokens = 4 });
            Assert.That(status, Is.EqualTo(200), body);
            slowest = took > slowest ? took : slowest;
            others++;
            await Task.Delay(50);
        }
        while (!running.IsCompleted);
        var (constrainedStatus, constrainedBody, _) = await running;
        return (constrainedStatus, constrainedBody, slowest, others);
    }

    [TestCase(16)]
    [TestCase(50)]
    public async Task NestedRepetitionRegex_Is400Quickly_SayingTooExpensive_AndTheServerAnswersAfterwards(int count)
    {
        var (status, body, took) = await PostAsync(Client, new
        {
            text = "Once upon a time", regex_string = $"(((a{{0,{count}}}){{0,{count}}}){{0,{count}}})b", max_new_tokens = 8,
        });

        Assert.That(status, Is.EqualTo(400), body);
        Assert.That(JsonNode.Parse(body)!["errors"]!["regex_string"]![0]!.GetValue<string>(), Does.Contain("too expensive"));
        Assert.That(took, Is.LessThan(TimeSpan.FromSeconds(5)));
        await AnswersAsync(Client);
    }

    [Test]
    public async Task AmbiguousGrammar_Is400Quickly_SayingTooExpensive()
    {
        var (status, body, took) = await PostAsync(Client, new
        {
            text = "Once upon a time", grammar = "root ::= x{0,60} \"b\"\nx ::= \"a\"? \"a\"? \"a\"? \"a\"?\n", max_new_tokens = 8,
        });

        Assert.That(status, Is.EqualTo(400), body);
        Assert.That(JsonNode.Parse(body)!["errors"]!["grammar"]![0]!.GetValue<string>(), Does.Contain("too expensive").And.Contain("ambiguous"));
        Assert.That(took, Is.LessThan(TimeSpan.FromSeconds(5)));
        await AnswersAsync(Client);
    }

    [Test]
    public async Task RegexOfFortyThousandWords_IsServed_WhileAnotherClientsShortRequestAnswersWithinASecond()
    {
        var words = ConstraintCostTests.Words(40_000, 1);

        var (status, body, slowest, others) = await WhileOthersAskAsync(new
        {
            text = "Once upon a time", regex_string = string.Join("|", words), max_new_tokens = 16,
        });

        Assert.That(status, Is.EqualTo(200), body);
        var text = JsonNode.Parse(body)!["text"]!.GetValue<string>();
        Assert.That(words.Any(w => w.StartsWith(text, StringComparison.Ordinal)), Is.True, text);
        Assert.That(slowest, Is.LessThan(TimeSpan.FromSeconds(1)), $"slowest of {others} other requests");
    }

    [Test]
    public async Task EnumOfFortyThousandStrings_IsServed_WhileAnotherClientsShortRequestAnswersWithinASecond()
    {
        var words = ConstraintCostTests.Words(40_000, 2);

        var (status, body, slowest, others) = await WhileOthersAskAsync(new
        {
            text = "Once upon a time", json_schema = new { @enum = words }, max_new_tokens = 16,
        });

        Assert.That(status, Is.EqualTo(200), body);
        var text = JsonNode.Parse(body)!["text"]!.GetValue<string>();
        Assert.That(words.Any(w => ("\"" + w + "\"").StartsWith(text.TrimEnd(), StringComparison.Ordinal)), Is.True, text);
        Assert.That(slowest, Is.LessThan(TimeSpan.FromSeconds(1)), $"slowest of {others} other requests");
    }

    [TestCase(500)]
    [TestCase(2_000)]
    public async Task ManyOptionalProperties_AreServed(int count)
    {
        var schema = ConstraintCostTests.OptionalProperties(count);

        var (status, body, _) = await PostAsync(Client, new { text = "Once upon a time", json_schema = schema, max_new_tokens = 24 });

        Assert.That(status, Is.EqualTo(200), body);
        var text = JsonNode.Parse(body)!["text"]!.GetValue<string>();
        var grammar = GbnfRecognizer.For(JsonSchemaGrammar.ToGbnf(JsonSerializer.SerializeToElement(schema)));
        Assert.That(grammar.IsPrefix(text), Is.True, text);
        await AnswersAsync(Client);
    }

    [Test]
    public async Task AGrammarOverItsLoopBudget_EndsWithA400SayingSo_AndTheServerAnswersAfterwards()
    {
        // Passes admission, but 0.01 ms of grammar work a token (0.25 ms in all) is less than any grammar takes.
        await using var server = await TakeoffServer.StartAsync(extraArgs: ["--grammar-budget-ms", "0.01", "--stream-format", "sse"]);

        var (status, body, _) = await PostAsync(server.Client, new
        {
            text = "Once upon a time", json_schema = ConstraintCostTests.OptionalProperties(200), max_new_tokens = 24,
        });

        Assert.That(status, Is.EqualTo(400), body);
        Assert.That(JsonNode.Parse(body)!["errors"]!["json_schema"]![0]!.GetValue<string>(),
            Does.Contain("too expensive").And.Contain("over the budget of 0.01 ms a token"));
        await AnswersAsync(server.Client);

        // Streamed, the status is gone by then: the last event says why.
        var streamed = await server.Client.StreamAsync(new
        {
            text = "Once upon a time", json_schema = ConstraintCostTests.OptionalProperties(200), max_new_tokens = 24,
        });
        Assert.That(streamed.Text, Does.Contain("event: error\ndata: generation failed: The constraint is too expensive"));
    }
}
