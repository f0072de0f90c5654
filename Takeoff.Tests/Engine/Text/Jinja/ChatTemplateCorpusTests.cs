using System.Collections.Concurrent;
using Takeoff.Engine.Text.Jinja.Errors;
using Takeoff.Engine.Text.Jinja.Runtime;
using Takeoff.Engine.Text.Jinja;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Engine.Text.Jinja;

/// <summary>
/// Every shared chat template × every corpus conversation, judged against real Jinja2 (the golden files): the same
/// bytes where Jinja2 rendered, a <see cref="TemplateException"/> where it raised.
/// </summary>
internal sealed class ChatTemplateCorpusTests
{
    private static readonly ConcurrentDictionary<string, Lazy<JinjaTemplate>> Parsed = new();

    private static readonly JinjaRenderOptions Options = new() { Clock = new FixedClock(ChatTemplateCorpus.Now) };

    private static IEnumerable<TestCaseData> Cases() => ChatTemplateCorpus.Cases().Select(c =>
    {
        var data = new TestCaseData(c).SetArgDisplayNames(c.ToString());
        return KnownDifferences.TryGetValue(c.Template, out var reason) ? data.Ignore(reason) : data;
    });

    /// <summary>Templates where this engine and Jinja2 still disagree, with the reason (see README.md beside this file).</summary>
    private static readonly Dictionary<string, string> KnownDifferences = new(StringComparer.Ordinal);

    [Test]
    public void Corpus_HasEveryTemplateWithEveryConversation()
    {
        var cases = ChatTemplateCorpus.Cases();

        Assert.That(cases.Select(c => c.Template).Distinct().Count(), Is.EqualTo(60));
        Assert.That(cases.GroupBy(c => c.Template).Select(g => g.Count()).Distinct(), Is.EqualTo(new[] { 14 }));
        Assert.That(cases.Count(c => c.Output is not null), Is.GreaterThan(700), "most cases render in Jinja2");
    }

    [TestCaseSource(nameof(Cases))]
    public void Render_MatchesJinja2(ChatTemplateCase corpus)
    {
        if (corpus.Output is null)
        {
            var error = Assert.Throws<TemplateException>(() => Render(corpus),
                $"Jinja2 raised {corpus.ErrorType}: {corpus.ErrorMessage}");
            Assert.That(error!.Kind, Is.EqualTo(corpus.ErrorType switch
            {
                "TemplateError" => TemplateErrorKind.Raised,
                "TemplateSyntaxError" or "TemplateAssertionError" => TemplateErrorKind.Syntax,
                _ => TemplateErrorKind.Runtime,
            }), error.Message);
            // Runtime errors are worded as Jinja2 words them (raise_exception's message verbatim); a syntax error
            // names the same problem and adds its line.
            if (error.Kind == TemplateErrorKind.Syntax)
                Assert.That(error.Message, Does.StartWith(corpus.ErrorMessage![..corpus.ErrorMessage!.IndexOf('.')]));
            else
                Assert.That(error.Message, Is.EqualTo(corpus.ErrorMessage));
            return;
        }

        Assert.That(Render(corpus), Is.EqualTo(corpus.Output));
    }

    /// <summary>
    /// Parse once per model, render per request: what one render of the largest templates costs with two tools and a
    /// tool call (written to the test output; the bound only catches a pathological regression on a shared CI box).
    /// </summary>
    [Test]
    public void RenderTime_LargestTemplatesWithTools_StaysUnderFiveMilliseconds()
    {
        var largest = ChatTemplateCorpus.Cases()
            .Where(c => c.Conversation == "tool_call" && c.Output is not null)
            .OrderByDescending(c => c.Source.Length)
            .Take(4)
            .ToList();

        foreach (var corpus in largest)
        {
            JinjaTemplate.Parse(corpus.Source);
            var parse = System.Diagnostics.Stopwatch.StartNew();
            var template = JinjaTemplate.Parse(corpus.Source);
            parse.Stop();
            for (var i = 0; i < 50; i++)
                template.Render(corpus.Variables, Options);
            const int renders = 500;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < renders; i++)
                template.Render(corpus.Variables, Options);
            var perRender = clock.Elapsed / renders;

            TestContext.Out.WriteLine(
                $"{corpus.Template} ({corpus.Source.Length:N0} chars): parse {parse.Elapsed.TotalMicroseconds:F0} µs, render {perRender.TotalMicroseconds:F0} µs");
            Assert.That(perRender, Is.LessThan(TimeSpan.FromMilliseconds(5)), corpus.Template);
        }
    }

    private static string Render(ChatTemplateCase corpus) =>
        Parsed.GetOrAdd(corpus.Template, _ => new Lazy<JinjaTemplate>(() => JinjaTemplate.Parse(corpus.Source))).Value
            .Render(corpus.Variables, Options);
}
