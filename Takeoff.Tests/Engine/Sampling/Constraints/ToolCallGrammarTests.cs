using System.Text.Json;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Sampling.Constraints;
using Takeoff.Engine.Text.Tools;

namespace Takeoff.Tests.Engine.Sampling.Constraints;

internal sealed class ToolCallGrammarTests
{
    private static readonly ChatTool Weather = new("get_weather", null, JsonDocument.Parse(
        """{"type": "object", "properties": {"city": {"type": "string"}, "root": {"type": "integer"}}, "required": ["city"]}""").RootElement);

    private static readonly ChatTool Search = new("search_web", null, JsonDocument.Parse(
        """{"type": "object", "properties": {"q": {"$ref": "#/$defs/Q"}}, "$defs": {"Q": {"type": "string", "maxLength": 9}}}""").RootElement);

    [TestCase(ToolCallFormat.Hermes, "root ::= \"<tool_call>\\n\" tool-call ( \"\\n</tool_call>\\n<tool_call>\\n\" tool-call ){0,3} \"\\n</tool_call>\"")]
    [TestCase(ToolCallFormat.Llama3, "root ::= tool-call")]
    [TestCase(ToolCallFormat.Mistral, "root ::= \"[TOOL_CALLS][\" tool-call ( \",\" tool-call ){0,3} \"]\"")]
    [TestCase(ToolCallFormat.Generic, "root ::= \"{\\\"tool_calls\\\": [\" tool-call ( \",\" tool-call ){0,3} \"]}\"")]
    public void EachFormat_WrapsTheCallsInItsSyntax_AndParses(ToolCallFormat format, string root)
    {
        var gbnf = ToolCallGrammar.ToGbnf(format, new ChatTools([Weather, Search], ToolChoice.Required));

        Assert.That(gbnf.Split('\n')[0], Is.EqualTo(root));
        Assert.DoesNotThrow(() => GbnfGrammar.Parse(gbnf));
        Assert.That(gbnf, Does.Contain("space ::= | \" \""), "whitespace is one optional space");
        Assert.That(gbnf, Does.Contain(format == ToolCallFormat.Llama3 ? "parameters" : "arguments"));
    }

    [Test]
    public void ParallelOff_ExactlyOneCall()
    {
        var gbnf = ToolCallGrammar.ToGbnf(ToolCallFormat.Hermes, new ChatTools([Weather], ToolChoice.Required, Parallel: false));

        Assert.That(gbnf.Split('\n')[0], Is.EqualTo("root ::= \"<tool_call>\\n\" tool-call \"\\n</tool_call>\""));
    }

    [Test]
    public void NamedFunction_OnlyThatName()
    {
        var gbnf = ToolCallGrammar.ToGbnf(ToolCallFormat.Hermes, new ChatTools([Weather, Search], new ToolChoice.Named("search_web")));

        Assert.That(gbnf, Does.Contain("search_web").And.Not.Contain("get_weather"));
    }

    [Test]
    public void StrictSchemaTheConverterCannotEnforce_RefusedOnTools_NonStrictLoosened()
    {
        var odd = JsonDocument.Parse("""{"type": "object", "properties": {"n": {"type": "number", "multipleOf": 3}}}""").RootElement;

        var error = Assert.Throws<EngineException>(() =>
            ToolCallGrammar.ToGbnf(ToolCallFormat.Hermes, new ChatTools([new ChatTool("f", null, odd, Strict: true)], ToolChoice.Required)));
        Assert.That(error!.Input, Is.EqualTo(EngineInput.Tools));
        Assert.That(error.Message, Does.Contain("multipleOf"));

        Assert.DoesNotThrow(() => ToolCallGrammar.ToGbnf(ToolCallFormat.Hermes, new ChatTools([new ChatTool("f", null, odd)], ToolChoice.Required)));
    }
}
