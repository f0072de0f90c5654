using System.Text.Json;
using Json.Schema;
using Takeoff.Engine.Sampling.Constraints;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Engine.Sampling.Constraints;

internal sealed class SchemaCorpusTests
{
    private static IEnumerable<SchemaCase> Cases() => ConstraintCorpus.Schemas();

    [Test]
    public void Corpus_HasFortyNamedSchemasWithSamples()
    {
        var cases = ConstraintCorpus.Schemas();

        Assert.That(cases, Has.Count.GreaterThanOrEqualTo(40));
        Assert.That(cases.Select(c => c.Name), Is.Unique);
        // Only schemas that admit everything have no invalid sample, and only {} is an empty object.
        Assert.That(cases.Where(c => c.Valid.Count < 2).Select(c => c.Name), Is.EqualTo(new[] { "empty-object-only" }));
        Assert.That(cases.Where(c => c.Invalid.Count < 2).Select(c => c.Name), Is.EqualTo(new[] { "any-json", "true-schema" }));
    }

    /// <summary>Keeps the corpus honest: an independent validator agrees with every label.</summary>
    [TestCaseSource(nameof(Cases))]
    public void JsonSchemaNet_AgreesWithTheLabels(SchemaCase corpus)
    {
        var schema = JsonSchema.Build(corpus.Schema, new BuildOptions { SchemaRegistry = new SchemaRegistry() },
            new Uri($"https://takeoff.test/corpus/{corpus.Name}"));
        var options = new EvaluationOptions { RequireFormatValidation = true };

        Assert.Multiple(() =>
        {
            foreach (var instance in corpus.Valid)
                Assert.That(schema.Evaluate(instance, options).IsValid, Is.True, $"valid: {JsonText.Compact(instance)}");
            foreach (var instance in corpus.Invalid)
                Assert.That(schema.Evaluate(instance, options).IsValid, Is.False, $"invalid: {JsonText.Compact(instance)}");
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void Grammar_AcceptsEveryValidSample_CompactOrIndented_AndEachOfItsPrefixes(SchemaCase corpus)
    {
        var recognizer = GbnfRecognizer.For(JsonSchemaGrammar.ToGbnf(corpus.Schema));

        Assert.Multiple(() =>
        {
            foreach (var instance in corpus.Valid)
            {
                var compact = JsonText.Compact(instance);
                var indented = JsonText.Indented(instance);
                Assert.That(recognizer.Accepts(compact), Is.True, $"compact: {compact}");
                Assert.That(recognizer.Accepts(indented), Is.True, $"indented: {indented}");
                // The chart stays alive through the whole text: every prefix can still be completed.
                Assert.That(recognizer.ViablePrefixLength(indented), Is.EqualTo(indented.EnumerateRunes().Count()), $"prefixes of {indented}");
                foreach (var cut in new[] { 1, compact.Length / 3, compact.Length / 2, compact.Length - 1 }.Where(c => c > 0 && c < compact.Length && !char.IsLowSurrogate(compact[c])))
                    Assert.That(recognizer.IsPrefix(compact[..cut]), Is.True, $"prefix {compact[..cut]}");
            }
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void Grammar_RejectsEveryInvalidSample(SchemaCase corpus)
    {
        var recognizer = GbnfRecognizer.For(JsonSchemaGrammar.ToGbnf(corpus.Schema));

        Assert.Multiple(() =>
        {
            foreach (var instance in corpus.Invalid)
            {
                Assert.That(recognizer.Accepts(JsonText.Compact(instance)), Is.False, $"compact: {JsonText.Compact(instance)}");
                Assert.That(recognizer.Accepts(JsonText.Indented(instance)), Is.False, $"indented: {JsonText.Indented(instance)}");
            }
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void Grammar_IsOneLlamaCppAccepts(SchemaCase corpus) =>
        Assert.That(GbnfGrammar.Parse(JsonSchemaGrammar.ToGbnf(corpus.Schema)).Rules[0].Name, Is.EqualTo("root"));
}
