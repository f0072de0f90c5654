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
        var pieces = new List<ToolCallPiece>();
        foreach (var c in answer)
        {
            var (r, t, p) = splitter.Add(c.ToString());
            reasoning += r;
            content += t;
            pieces.AddRange(p);
        }
        contentBeforeEnd = content;
        var (lastReasoning, lastContent, calls, lastPieces) = splitter.Finish();

        Assert.That(reasoning + lastReasoning, Is.EqualTo("Use the tool."));
        Assert.That(contentBeforeEnd, Is.EqualTo("Checking <b>now</b>."), "text before the call streamed; '<' of <b> was not held for ever");
        Assert.That(lastContent, Is.Empty);
        Assert.That(calls.Single().Name, Is.EqualTo("get_weather"));
        Assert.That(lastPieces, Is.Empty, "the call streamed while it was written");
        Assert.That(pieces[0], Is.EqualTo(new ToolCallPiece(0, calls[0].Id, "get_weather", "")));
        Assert.That(pieces.Skip(1).Select(p => p.Arguments), Has.All.Length.EqualTo(1), "arguments streamed a character at a time");
        Assert.That(string.Concat(pieces.Select(p => p.Arguments)), Is.EqualTo("{\"city\":\"Paris\"}"));
        Assert.That(calls[0].Arguments, Is.EqualTo("{\"city\":\"Paris\"}"));
    }

    [TestCase("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"São Paulo\", \"days\": [1, 2]}}\n</tool_call>\n<tool_call>\n{\"name\": \"search_web\", \"arguments\": {\"q\": \"a \\\"}\\\" b\"}}\n</tool_call>")]
    [TestCase("[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"São Paulo\", \"days\": [1, 2]}}, {\"name\": \"search_web\", \"arguments\": {\"q\": \"a \\\"}\\\" b\"}}]")]
    [TestCase("{\"tool_calls\": [{\"name\": \"get_weather\", \"arguments\": {\"city\": \"São Paulo\", \"days\": [1, 2]}}, {\"name\": \"search_web\", \"arguments\": {\"q\": \"a \\\"}\\\" b\"}}]}")]
    public void Streamed_TwoCallsInEachFormat_PiecesAssembleIntoTheWholeAnswersCalls(string answer)
    {
        var splitter = new AnswerSplitter(["get_weather", "search_web"], startsInReasoning: false);
        var pieces = new List<ToolCallPiece>();
        for (var i = 0; i < answer.Length; i += 3)
            pieces.AddRange(splitter.Add(answer.Substring(i, Math.Min(3, answer.Length - i))).Calls);
        var (_, content, calls, last) = splitter.Finish();
        pieces.AddRange(last);
        var whole = AnswerSplitter.Split(answer, ["get_weather", "search_web"]);

        Assert.That(content, Is.Empty);
        Assert.That(pieces.Where(p => p.Id is not null).Select(p => (p.Index, p.Name)), Is.EqualTo(new[] { (0, "get_weather"), (1, "search_web") }));
        var assembled = pieces.GroupBy(p => p.Index).Select(g => string.Concat(g.Select(p => p.Arguments))).ToArray();
        Assert.That(assembled, Is.EqualTo(new[] { "{\"city\":\"São Paulo\",\"days\":[1,2]}", "{\"q\":\"a \\\"}\\\" b\"}" }));
        Assert.That(calls.Select(c => c.Arguments), Is.EqualTo(assembled));
        Assert.That(whole.Calls.Select(c => c.Arguments), Is.EqualTo(assembled), "streamed and whole answers agree");
    }

    [Test]
    public void Streamed_CutOffMidCall_ArgumentsSoFarAndNoContent()
    {
        var splitter = new AnswerSplitter(Names, startsInReasoning: false);
        var (_, _, pieces) = splitter.Add("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Par");
        var (_, content, calls, last) = splitter.Finish();

        Assert.That(string.Concat(pieces.Select(p => p.Arguments)), Is.EqualTo("{\"city\":\"Par"));
        Assert.That(calls, Is.Empty);
        Assert.That(last, Is.Empty);
        Assert.That(content, Is.Empty, "the call's text was streamed as a call, not again as content");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void CutOffAfterTwoCalls_TheCompleteCallsStand(bool streamed)
    {
        const string answer = "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>\n" +
            "<tool_call>\n{\"name\": \"search_web\", \"arguments\": {\"q\": \"rain\"}}\n</tool_call>\n" +
            "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Ro";
        IReadOnlyList<ChatToolCall> calls;
        if (streamed)
        {
            var splitter = new AnswerSplitter(["get_weather", "search_web"], startsInReasoning: false);
            for (var i = 0; i < answer.Length; i += 4)
                splitter.Add(answer.Substring(i, Math.Min(4, answer.Length - i)));
            calls = splitter.Finish().Calls;
        }
        else
        {
            calls = AnswerSplitter.Split(answer, ["get_weather", "search_web"]).Calls;
        }

        Assert.That(calls.Select(c => (c.Name, c.Arguments)),
            Is.EqualTo(new[] { ("get_weather", "{\"city\":\"Paris\"}"), ("search_web", "{\"q\":\"rain\"}") }));
    }

    [Test]
    public void Streamed_ArgumentsAsAString_SentWholeAtTheEnd()
    {
        var splitter = new AnswerSplitter(Names, startsInReasoning: false);
        var (_, _, pieces) = splitter.Add("{\"name\": \"get_weather\", \"arguments\": \"{\\\"city\\\": \\\"Paris\\\"}\"}");
        var (_, _, calls, last) = splitter.Finish();

        Assert.That(pieces, Is.Empty);
        Assert.That(last.Select(p => (p.Index, p.Name, p.Arguments)),
            Is.EqualTo(new[] { (0, (string?)"get_weather", ""), (0, null, "{\"city\": \"Paris\"}") }));
        Assert.That(calls.Single().Arguments, Is.EqualTo("{\"city\": \"Paris\"}"));
    }

    [Test]
    public void Prefill_OpensTheCall_TheAnswerCompletesIt()
    {
        var (_, content, calls) = AnswerSplitter.Split("\"Paris\"}}\n</tool_call>", Names,
            prefill: "Let me look.<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": ");

        Assert.That(content, Is.Null, "the prefill is the client's text, not the answer's");
        Assert.That(calls.Single().Arguments, Is.EqualTo("{\"city\":\"Paris\"}"));
    }

    [Test]
    public void Streamed_PrefillNamesTheCall_ItsIdAndNameComeWithTheFirstPiece()
    {
        const string prefill = "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": ";
        const string answer = "\"Paris\"}}\n</tool_call>";
        var splitter = new AnswerSplitter(Names, startsInReasoning: false, prefill);

        var pieces = splitter.Add(answer[..4]).Calls.Concat(splitter.Add(answer[4..]).Calls).Concat(splitter.Finish().Deltas).ToList();

        Assert.That(pieces.Where(p => p.Id is not null).Select(p => (p.Index, p.Name)), Is.EqualTo(new[] { (0, "get_weather") }));
        Assert.That(string.Concat(pieces.Select(p => p.Arguments)),
            Is.EqualTo(AnswerSplitter.Split(answer, Names, prefill: prefill).Calls.Single().Arguments), "streamed and whole answers agree");
    }

    [Test]
    public void Streamed_MarkerPrefixThatIsNoMarker_IsReleased()
    {
        var splitter = new AnswerSplitter(Names, startsInReasoning: false);

        var (_, first, _) = splitter.Add("a <tool");
        var (_, second, _) = splitter.Add("box> b");

        Assert.That(first, Is.EqualTo("a "));
        Assert.That(second, Is.EqualTo("<toolbox> b"));
    }
}
