using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Takeoff.Engine.Sampling.Constraints;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Integration.Constraints;

/// <summary>
/// The corpus through the real server: stories260K samples at temperature 1 with several seeds under each schema and
/// regex, and every output is checked by an independent judge. An output that ended by itself must be valid (JSON
/// Schema validator, .NET Regex full match); one cut off by max_new_tokens must be a valid prefix.
/// </summary>
internal sealed class CorpusGenerationTests
{
    private static readonly string[] Prompts = ["Once upon a time", "The little dog", "Tom and Sue went"];

    private static IEnumerable<SchemaCase> Schemas() => ConstraintCorpus.Schemas();

    private static IEnumerable<RegexCase> Regexes() => ConstraintCorpus.Regexes();

    [TestCaseSource(nameof(Schemas))]
    public async Task Schema_EveryFinishedOutputValidates_EveryCutOneIsAPrefix(SchemaCase corpus)
    {
        var answer = await GenerateAsync(new JsonObject { ["json_schema"] = JsonNode.Parse(corpus.Schema.GetRawText()) });

        var schema = JsonSchema.Build(corpus.Schema, new BuildOptions { SchemaRegistry = new SchemaRegistry() },
            new Uri($"https://takeoff.test/generated/{corpus.Name}"));
        var grammar = GbnfRecognizer.For(JsonSchemaGrammar.ToGbnf(corpus.Schema));
        foreach (var (text, finish) in answer)
        {
            if (finish == "length")
            {
                Assert.That(grammar.IsPrefix(text), Is.True, $"cut off, yet not a prefix of a valid document: {text}");
                continue;
            }
            Assert.That(finish, Is.EqualTo("eos"), text);
            using var document = JsonDocument.Parse(text);
            var result = schema.Evaluate(document.RootElement, new EvaluationOptions { RequireFormatValidation = true });
            Assert.That(result.IsValid, Is.True, $"not valid against {corpus.Name}: {text}");
        }
    }

    [TestCaseSource(nameof(Regexes))]
    public async Task Regex_EveryFinishedOutputFullyMatches_EveryCutOneIsAPrefix(RegexCase corpus)
    {
        var answer = await GenerateAsync(new JsonObject { ["regex_string"] = corpus.Pattern });

        var regex = new Regex($@"\A(?:{corpus.Pattern})\z");
        var grammar = GbnfRecognizer.For(RegexGrammar.ToGbnf(corpus.Pattern));
        foreach (var (text, finish) in answer)
        {
            if (finish == "length")
                Assert.That(grammar.IsPrefix(text), Is.True, $"cut off, yet not a prefix of a match: {text}");
            else
                Assert.That(regex.IsMatch(text), Is.True, $"finished as {finish}, yet does not match /{corpus.Pattern}/: {text}");
        }
    }

    /// <summary>Three prompts decoded together under one constraint, sampled at temperature 1 with a fixed seed.</summary>
    private static async Task<(string Text, string Finish)[]> GenerateAsync(JsonObject constraint)
    {
        var body = new JsonObject
        {
            ["text"] = new JsonArray(Prompts.Select(p => (JsonNode)p!).ToArray()), ["max_new_tokens"] = 160,
            ["sampling_temperature"] = 1.0, ["sampling_topk"] = 0, ["seed"] = 7, ["return_metadata"] = true,
        };
        foreach (var (key, value) in constraint)
            body[key] = value?.DeepClone();
        var answer = await ConstrainedServer.Instance.Client.PostJsonAsync("/generate", body);
        return answer["text"]!.AsArray().Zip(answer["metadata"]!.AsArray())
            .Select(pair => (pair.First!.GetValue<string>(), pair.Second!["finish_reason"]!.GetValue<string>()))
            .ToArray();
    }
}
