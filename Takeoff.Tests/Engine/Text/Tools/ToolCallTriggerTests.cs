using Takeoff.Engine.Text.Tools;

namespace Takeoff.Tests.Engine.Text.Tools;

/// <summary>When "auto" switches the call grammar on: the text from the call's opening, found as the answer streams.</summary>
internal sealed class ToolCallTriggerTests
{
    /// <summary>The call's text when it opened, and what the answer wrote after (which the grammar then sees): the call's whole text.</summary>
    private static string? Feed(ToolCallTrigger trigger, string answer, int pieceLength)
    {
        for (var i = 0; i < answer.Length; i += pieceLength)
        {
            if (trigger.Add(answer.Substring(i, Math.Min(pieceLength, answer.Length - i))) is { } call)
                return call + answer[Math.Min(i + pieceLength, answer.Length)..];
        }
        return null;
    }

    [TestCase(ToolCallFormat.Hermes, "Let me check.\n<tool_call>\n{\"na", "<tool_call>\n{\"na")]
    [TestCase(ToolCallFormat.Mistral, "Sure [TOOL_CALLS][{\"name\"", "[TOOL_CALLS][{\"name\"")]
    [TestCase(ToolCallFormat.Llama3, "<|python_tag|>{\"name\": \"f\"", "{\"name\": \"f\"")]
    [TestCase(ToolCallFormat.Llama3, "  { \"name\": \"f\"", "{ \"name\": \"f\"")]
    [TestCase(ToolCallFormat.Generic, "{\"tool_calls\": [", "{\"tool_calls\": [")]
    [TestCase(ToolCallFormat.Llama3, "<think>a {\"name\" here</think>\n { \"name\": \"f\"", "{ \"name\": \"f\"")]
    [TestCase(ToolCallFormat.Generic, "\n\n{\n  \"tool_calls\": [", "{\n  \"tool_calls\": [")]
    [TestCase(ToolCallFormat.Hermes, "<think>maybe <tool_call> here</think>Now <tool_call>\n", "<tool_call>\n")]
    [TestCase(ToolCallFormat.Hermes, "Sure. <think>no</think> <tool_call>\n", "<tool_call>\n")]
    [TestCase(ToolCallFormat.Hermes, "Sure. <think>not a block <tool_call>\n", "<tool_call>\n")]
    public void OpensACall_TextFromTheOpening_InAnyPieceSize(ToolCallFormat format, string answer, string expected)
    {
        foreach (var pieceLength in new[] { 1, 2, 5, answer.Length })
            Assert.That(Feed(new ToolCallTrigger(format), answer, pieceLength), Is.EqualTo(expected), $"pieces of {pieceLength}");
    }

    [TestCase(ToolCallFormat.Hermes, "Paris is sunny. <tool_cal")]
    [TestCase(ToolCallFormat.Llama3, "Here: {\"name\": \"f\"}")]
    [TestCase(ToolCallFormat.Llama3, "{\"city\": \"Paris\"}")]
    [TestCase(ToolCallFormat.Generic, "{\"answer\": 42}")]
    [TestCase(ToolCallFormat.Llama3, "<think>no</think>Sure: {\"name\": \"f\"}")]
    [TestCase(ToolCallFormat.Hermes, "<think>I could write <tool_call> but")]
    public void OpensNoCall_StaysFree(ToolCallFormat format, string answer)
    {
        foreach (var pieceLength in new[] { 1, 3, answer.Length })
            Assert.That(Feed(new ToolCallTrigger(format), answer, pieceLength), Is.Null, $"pieces of {pieceLength}");
    }

    /// <summary>A long answer is searched piece by piece: tags split across pieces far into it are still found.</summary>
    [Test]
    public void LongReasoningThenACall_FoundAtItsOpening()
    {
        var reasoning = string.Concat(Enumerable.Repeat("I could write <tool_call> or </thin k> here. ", 1000));
        var answer = $"\n<think>{reasoning}</think>\n{string.Concat(Enumerable.Repeat("Paris, ", 500))}<tool_call>\n{{\"name\"";

        foreach (var pieceLength in new[] { 1, 3, 7 })
            Assert.That(Feed(new ToolCallTrigger(ToolCallFormat.Hermes), answer, pieceLength), Is.EqualTo("<tool_call>\n{\"name\""), $"pieces of {pieceLength}");
    }

    /// <summary>An answer that starts with a long run of whitespace is read once, piece by piece, and still opens a call.</summary>
    [Test]
    public void LongWhitespaceThenABareJsonCall_FoundAtItsOpening()
    {
        var answer = new string('\n', 50_000) + "{ \"name\": \"f\"";

        foreach (var pieceLength in new[] { 1, 3 })
            Assert.That(Feed(new ToolCallTrigger(ToolCallFormat.Llama3), answer, pieceLength), Is.EqualTo("{ \"name\": \"f\""), $"pieces of {pieceLength}");
    }

    [Test]
    public void PrefillOpenedTheCall_FoundBeforeTheFirstToken_AndOnlyOnce()
    {
        var trigger = new ToolCallTrigger(ToolCallFormat.Hermes, "<tool_call>\n");

        Assert.That(trigger.Add(""), Is.EqualTo("<tool_call>\n"));
        Assert.That(trigger.Add("<tool_call>"), Is.Null);
    }
}
