using System.Text.RegularExpressions;
using Takeoff.Engine.Sampling.Constraints;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Engine.Sampling.Constraints;

internal sealed class RegexCorpusTests
{
    private static IEnumerable<RegexCase> Cases() => ConstraintCorpus.Regexes();

    [Test]
    public void Corpus_HasFifteenRegexesWithBothKindsOfSamples()
    {
        var cases = ConstraintCorpus.Regexes();

        Assert.That(cases, Has.Count.GreaterThanOrEqualTo(15));
        Assert.That(cases.Select(c => c.Name), Is.Unique);
        Assert.That(cases, Has.All.Matches<RegexCase>(c => c.Matching.Count >= 1 && c.NonMatching.Count >= 2));
    }

    /// <summary>Keeps the corpus honest: .NET's own engine, in both modes, agrees with every label.</summary>
    [TestCaseSource(nameof(Cases))]
    public void DotNetRegex_AgreesWithTheLabels(RegexCase corpus)
    {
        Assert.Multiple(() =>
        {
            foreach (var options in new[] { RegexOptions.None, RegexOptions.ECMAScript })
            {
                var regex = new Regex($@"\A(?:{corpus.Pattern})\z", options);
                foreach (var text in corpus.Matching)
                    Assert.That(regex.IsMatch(text), Is.True, $"{options} matching: {text}");
                foreach (var text in corpus.NonMatching)
                    Assert.That(regex.IsMatch(text), Is.False, $"{options} non-matching: {text}");
            }
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void Grammar_AgreesWithTheLabels_AndKeepsEveryPrefixOfAMatchAlive(RegexCase corpus)
    {
        var recognizer = GbnfRecognizer.For(RegexGrammar.ToGbnf(corpus.Pattern));

        Assert.Multiple(() =>
        {
            foreach (var text in corpus.Matching)
            {
                Assert.That(recognizer.Accepts(text), Is.True, $"matching: {text}");
                for (var cut = 0; cut < text.Length; cut++)
                {
                    if (!char.IsLowSurrogate(text[cut]))
                        Assert.That(recognizer.IsPrefix(text[..cut]), Is.True, $"prefix: {text[..cut]}");
                }
            }
            foreach (var text in corpus.NonMatching)
                Assert.That(recognizer.Accepts(text), Is.False, $"non-matching: {text}");
        });
    }
}
