using System.Text.Json.Nodes;
using Takeoff.Engine.Text.Jinja.Errors;
using Takeoff.Engine.Text.Jinja;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Engine.Text.Jinja;

/// <summary>
/// Differential test: 2,000 random expressions over the values chat templates meet, and about 1,000 random sequences
/// of text and tags with every whitespace marker (scripts/render-jinja-expressions.py generates them with a fixed seed
/// and records Jinja2's answer). Our engine prints the same text, or fails where Jinja2 fails, with Jinja2's message.
/// </summary>
internal sealed class ExpressionCorpusTests
{
    private static readonly Lazy<JsonObject> File = new(() => JsonNode.Parse(System.IO.File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "Engine", "Text", "Jinja", "Golden", "expressions.json")))!.AsObject());

    private static IEnumerable<TestCaseData> Cases() => File.Value["cases"]!.AsArray().Select((c, i) =>
    {
        var error = c!["error"];
        var corpus = new ExpressionCase(i, c["source"]!.GetValue<string>(), c["output"]?.GetValue<string>(),
            error?["type"]!.GetValue<string>(), error?["message"]!.GetValue<string>());
        return new TestCaseData(corpus).SetArgDisplayNames(corpus.ToString());
    });

    [TestCaseSource(nameof(Cases))]
    public void Expression_MatchesJinja2(ExpressionCase corpus)
    {
        var variables = File.Value["variables"]!.AsObject().DeepClone().AsObject();
        variables["x"] = 1;
        var template = JinjaTemplate.Parse(corpus.Source);

        if (corpus.Output is not null)
        {
            Assert.That(template.Render(variables), Is.EqualTo(corpus.Output), corpus.Source);
            return;
        }

        var error = Assert.Throws<TemplateException>(() => template.Render(variables), $"{corpus.Source}\nJinja2 raised {corpus.ErrorType}: {corpus.ErrorMessage}");
        Assert.That(error!.Message, Is.EqualTo(corpus.ErrorMessage), corpus.Source);
    }
}
