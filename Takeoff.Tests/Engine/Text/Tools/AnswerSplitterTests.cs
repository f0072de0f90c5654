using Takeoff.Engine.Text.Tools;

namespace Takeoff.Tests.Engine.Text.Tools;

internal sealed class AnswerSplitterTests
{
    private static readonly string[] Names = ["get_weather", "search_web"];

    [Test]
    public void Hermes_CallsParsed_TextOutsideKeptAsContent()
    {
        var (reasoning, content, calls) = AnswerSplitter.Split(
            "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>\n" +
            "<tool_call>\n{\"name\": \"search_web\", \"arguments\": {\"query\": \"rain\"}}\n</tool_call>", Names);

        Assert.That(reasoning, Is.Null);
        Assert.That(content, Is.EqualTo("Let me check.\n"));
        Assert.That(calls.Select(c => (c.Name, c.Arguments)), Is.EqualTo(new[]
        {
            ("get_weather", "{\"city\":\"Paris\"}"), ("search_web", "{\"query\":\"rain\"}"),
        }));
        Assert.That(calls.Select(c => c.Id), Has.All.Match("^call_[A-Za-z0-9]{24}$"));
    }

    [TestCase("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}")]
    [TestCase("<|python_tag|>{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}")]
    [TestCase("[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}]")]
    [TestCase("{\"tool_calls\": [{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}]}")]
    [TestCase("  {\"name\": \"get_weather\", \"arguments\": \"{\\\"city\\\": \\\"Paris\\\"}\"}")]
    public void EachFamily_OneCall(string answer)
    {
        var (_, content, calls) = AnswerSplitter.Split(answer, Names);

        Assert.That(content, Is.Null);
        Assert.That(calls.Single().Name, Is.EqualTo("get_weather"));
        Assert.That(calls.Single().Arguments.Replace(" ", "", StringComparison.Ordinal), Is.EqualTo("{\"city\":\"Paris\"}"));
    }

    [TestCase("{\"name\": \"delete_everything\", \"arguments\": {}}")]
    [TestCase("{\"answer\": 42}")]
    [TestCase("<tool_call>\n{\"name\": \"get_weather\", \"argu")]
    [TestCase("The JSON {\"name\": \"get_weather\", \"arguments\": {}} is an example.")]
    public void NotACallOfAnOfferedTool_StaysContent(string answer)
    {
        var (_, content, calls) = AnswerSplitter.Split(answer, Names);

        Assert.That(calls, Is.Empty);
        Assert.That(content, Is.EqualTo(answer));
    }

    [Test]
    public void WithoutTools_JsonIsContent()
    {
        var answer = "{\"name\": \"get_weather\", \"arguments\": {}}";

        Assert.That(AnswerSplitter.Split(answer, null), Is.EqualTo((null as string, answer, Array.Empty<ChatToolCall>())).Using<(string?, string?, IReadOnlyList<ChatToolCall>)>(
            (a, b) => a.Item1 == b.Item1 && a.Item2 == b.Item2 && a.Item3.Count == b.Item3.Count));
    }

    [Test]
    public void ThinkBlock_GoesToReasoning()
    {
        var (reasoning, content, _) = AnswerSplitter.Split("<think>\nTwo plus three.\n</think>\n\n5", null);

        Assert.That(reasoning, Is.EqualTo("\nTwo plus three.\n"));
        Assert.That(content, Is.EqualTo("5"));
    }

    [Test]
    public void ClosingTagOnly_ThePromptOpenedTheBlock()
    {
        var (reasoning, content, _) = AnswerSplitter.Split("Hmm, five.</think>5", null);

        Assert.That(reasoning, Is.EqualTo("Hmm, five."));
        Assert.That(content, Is.EqualTo("5"));
    }

    [Test]
    public void Streamed_OneCharacterAtATime_SameSplitAsWhole_AndPlainTextStreamsBeforeTheCall()
    {
        const string answer = "<think>Use the tool.</think>Checking <b>now</b>.<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>";
        var splitter = new AnswerSplitter(Names, startsInReasoning: false);
        var reasoning = "";
        var content = "";
        var contentBeforeEnd = "";
        foreach (var c in answer)
        {
            var (r, t) = splitter.Add(c.ToString());
            reasoning += r;
            content += t;
        }
        contentBeforeEnd = content;
        var (lastReasoning, lastContent, calls) = splitter.Finish();

        Assert.That(reasoning + lastReasoning, Is.EqualTo("Use the tool."));
        Assert.That(contentBeforeEnd, Is.EqualTo("Checking <b>now</b>."), "text before the call streamed; '<' of <b> was not held for ever");
        Assert.That(lastContent, Is.Empty);
        Assert.That(calls.Single().Name, Is.EqualTo("get_weather"));
    }

    [Test]
    public void Streamed_MarkerPrefixThatIsNoMarker_IsReleased()
    {
        var splitter = new AnswerSplitter(Names, startsInReasoning: false);

        var (_, first) = splitter.Add("a <tool");
        var (_, second) = splitter.Add("box> b");

        Assert.That(first, Is.EqualTo("a "));
        Assert.That(second, Is.EqualTo("<toolbox> b"));
    }
}
