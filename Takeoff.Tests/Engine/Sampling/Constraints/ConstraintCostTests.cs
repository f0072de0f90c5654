using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Sampling.Constraints;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Engine.Sampling.Constraints;

/// <summary>
/// Issue 17's probes, without a model: what a grammar would cost llama.cpp is estimated (and refused) before any
/// native grammar exists; enums and word lists become tries; optional properties grow the grammar linearly.
/// </summary>
internal sealed class ConstraintCostTests
{
    private static string Shipped(string file) =>
        File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Engine", "Sampling", "Constraints", "Grammars", file));

    /// <summary>Distinct pseudo-random lowercase words, sorted (as a client's word list would be).</summary>
    internal static List<string> Words(int count, int seed)
    {
        var random = new Random(seed);
        var words = new SortedSet<string>(StringComparer.Ordinal);
        while (words.Count < count)
            words.Add(new string([.. Enumerable.Range(0, random.Next(5, 11)).Select(_ => (char)('a' + random.Next(26)))]));
        return [.. words];
    }

    private static JsonElement Schema(object schema) => JsonSerializer.SerializeToElement(schema);

    internal static JsonObject OptionalProperties(int count) => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject(Enumerable.Range(0, count).Select(i =>
            KeyValuePair.Create($"p{i}", (JsonNode?)new JsonObject { ["type"] = "integer" }))),
    };

    private static EngineException Refusal(OutputConstraint constraint, out TimeSpan took)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            ConstraintCompiler.ToGbnf(constraint);
        }
        catch (EngineException refused)
        {
            took = watch.Elapsed;
            return refused;
        }
        throw new AssertionException("the constraint was accepted");
    }

    [TestCase(16)]
    [TestCase(20)]
    [TestCase(50)]
    public void NestedNullableRepetitions_AreRefusedAsTooExpensive_Quickly(int count)
    {
        var refused = Refusal(new OutputConstraint.Regex($"(((a{{0,{count}}}){{0,{count}}}){{0,{count}}})b"), out var took);

        Assert.That(refused.Error, Is.EqualTo(EngineError.InvalidArgument));
        Assert.That(refused.Input, Is.EqualTo(EngineInput.Regex));
        Assert.That(refused.Message, Does.Contain("too expensive").And.Contain("limits:"), refused.Message);
        Assert.That(took, Is.LessThan(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public void AmbiguousGrammar_IsRefusedAsTooExpensive()
    {
        // 50 bytes: every split of a run of a's among 60 groups of four optional a's is a separate parse stack.
        var refused = Refusal(new OutputConstraint.Grammar("root ::= x{0,60} \"b\"\nx ::= \"a\"? \"a\"? \"a\"? \"a\"?\n"), out var took);

        Assert.That(refused.Input, Is.EqualTo(EngineInput.Grammar));
        Assert.That(refused.Message, Does.Contain("too expensive").And.Contain("ambiguous"), refused.Message);
        Assert.That(took, Is.LessThan(TimeSpan.FromSeconds(2)));
    }

    [TestCase("json.gbnf")]
    [TestCase("json_arr.gbnf")]
    [TestCase("arithmetic.gbnf")]
    [TestCase("list.gbnf")]
    [TestCase("chess.gbnf")]
    public void ShippedGrammars_AreCheap(string file)
    {
        var estimate = GbnfCost.Measure(GbnfGrammar.Parse(Shipped(file)), out var refusal);

        Assert.That(refusal, Is.Null);
        Assert.That(estimate.Stacks, Is.LessThan(64), estimate.ToString());
    }

    /// <param name="vocabulary">stories260K's, then Qwen2's (where the limits are about five times tighter).</param>
    [TestCase(512)]
    [TestCase(151_936)]
    public void EveryCorpusSchemaAndRegex_PassesAdmission(int vocabulary)
    {
        Assert.Multiple(() =>
        {
            foreach (var corpus in ConstraintCorpus.Schemas())
                Assert.That(() => ConstraintCompiler.ToGbnf(new OutputConstraint.JsonSchema(corpus.Schema), vocabulary), Throws.Nothing, corpus.Name);
            foreach (var corpus in ConstraintCorpus.Regexes())
                Assert.That(() => ConstraintCompiler.ToGbnf(new OutputConstraint.Regex(corpus.Pattern), vocabulary), Throws.Nothing, corpus.Name);
        });
    }

    [Test]
    public void Limits_ShrinkWithTheVocabulary()
    {
        // (((a{0,4}){0,4}){0,4})b: 2,065 expansions at one character, 1.5 ms a token on 512 tokens (measured).
        var grammar = GbnfGrammar.Parse(RegexGrammar.ToGbnf("(((a{0,4}){0,4}){0,4})b"));

        Assert.That(GbnfCost.Limits(512), Is.EqualTo((GbnfCost.MaxStacks, GbnfCost.MaxExpansionsPerCharacter)));
        Assert.That(GbnfCost.Limits(151_936), Is.EqualTo((215, 842)));
        Assert.That(() => GbnfCost.Require(grammar, 512), Throws.Nothing);
        Assert.That(() => GbnfCost.Require(grammar, 151_936),
            Throws.TypeOf<ConstraintException>().With.Message.Contain("842 expansions per character for this model's 151936-token vocabulary"));
    }

    [Test]
    public void RegexWordList_IsATrie_ThatAcceptsExactlyItsWords()
    {
        var words = Words(2_000, 1);

        var gbnf = ConstraintCompiler.ToGbnf(new OutputConstraint.Regex(string.Join("|", words)));
        var estimate = GbnfCost.Require(GbnfGrammar.Parse(gbnf));
        var recognizer = GbnfRecognizer.For(gbnf);

        // A flat alternation starts with one stack per word; a trie with one per distinct first letter.
        Assert.That(estimate.Stacks, Is.LessThanOrEqualTo(26), estimate.ToString());
        Assert.Multiple(() =>
        {
            foreach (var word in words.Take(200))
                Assert.That(recognizer.Accepts(word), Is.True, word);
            Assert.That(recognizer.Accepts(words[0] + "q"), Is.EqualTo(words.Contains(words[0] + "q")));
            Assert.That(recognizer.Accepts(words[0][..^1]), Is.EqualTo(words.Contains(words[0][..^1])));
            Assert.That(recognizer.Accepts(""), Is.False);
        });
    }

    [Test]
    public void RegexWordList_OfFortyThousand_CompilesQuickly_AndStaysCheap()
    {
        var watch = Stopwatch.StartNew();
        var gbnf = ConstraintCompiler.ToGbnf(new OutputConstraint.Regex(string.Join("|", Words(40_000, 1))));

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(GbnfCost.Require(GbnfGrammar.Parse(gbnf)).Stacks, Is.LessThanOrEqualTo(26));
    }

    [Test]
    public void EnumOfFortyThousandStrings_IsATrie_ThatAcceptsExactlyItsValues()
    {
        var words = Words(40_000, 2);

        var gbnf = ConstraintCompiler.ToGbnf(new OutputConstraint.JsonSchema(Schema(new { @enum = words })));
        var recognizer = GbnfRecognizer.For(gbnf);

        Assert.That(GbnfCost.Require(GbnfGrammar.Parse(gbnf)).Stacks, Is.LessThanOrEqualTo(32));
        Assert.Multiple(() =>
        {
            foreach (var word in words.Take(50).Concat(words.TakeLast(50)))
                Assert.That(recognizer.Accepts($"\"{word}\""), Is.True, word);
            Assert.That(recognizer.Accepts("\"zzzzzzzzzzzz\""), Is.False);
            Assert.That(recognizer.Accepts($"\"{words[0]}"), Is.False);
        });
    }

    [Test]
    public void EnumOfLongStrings_CompilesQuickly_AndAcceptsItsValues()
    {
        // Deep tries put a rule every 16 levels: thousands of rules with one hint, which took n² lookups to name.
        var random = new Random(5);
        var values = Enumerable.Range(0, 5_000)
            .Select(_ => new string([.. Enumerable.Range(0, 48).Select(_ => (char)('a' + random.Next(3)))]))
            .Distinct(StringComparer.Ordinal).ToList();

        var watch = Stopwatch.StartNew();
        var gbnf = ConstraintCompiler.ToGbnf(new OutputConstraint.JsonSchema(Schema(new { @enum = values })));

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        var recognizer = GbnfRecognizer.For(gbnf);
        Assert.Multiple(() =>
        {
            foreach (var value in values.Take(20))
                Assert.That(recognizer.Accepts($"\"{value}\""), Is.True, value);
            Assert.That(recognizer.Accepts($"\"{values[0][..47]}\""), Is.False);
        });
    }

    [Test]
    public void ManyRulesWithOneHint_AreNamedInLinearTime_AndStayUnique()
    {
        var rules = new GbnfRuleSet();

        var watch = Stopwatch.StartNew();
        var names = Enumerable.Range(0, 30_000).Select(_ => rules.Add("enum-trie", "\"x\"")).ToList();

        // Trying every number from 2 again for each name took 30,000²/2 lookups (and as many strings).
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        Assert.That(names, Is.Unique);
        Assert.That(names.Take(3), Is.EqualTo(new[] { "enum-trie", "enum-trie-2", "enum-trie-3" }));
    }

    [Test]
    public void SmallEnum_StaysAFlatAlternation()
    {
        var gbnf = JsonSchemaGrammar.ToGbnf(Schema(new { @enum = new[] { "red", "green", "blue" } }));

        Assert.That(gbnf, Does.Contain("( \"\\\"red\\\"\" | \"\\\"green\\\"\" | \"\\\"blue\\\"\" ) space"));
    }

    [Test]
    public void EnumWithPrefixesOfEachOther_AcceptsEachValue()
    {
        var values = Enumerable.Range(1, 40).Select(n => new string('a', n)).Concat(["ab", "abc", "b", ""]).ToArray();

        var recognizer = GbnfRecognizer.For(ConstraintCompiler.ToGbnf(new OutputConstraint.JsonSchema(Schema(new { @enum = values }))));

        Assert.Multiple(() =>
        {
            foreach (var value in values)
                Assert.That(recognizer.Accepts($"\"{value}\""), Is.True, value);
            Assert.That(recognizer.Accepts($"\"{new string('a', 41)}\""), Is.False);
            Assert.That(recognizer.Accepts("\"ac\""), Is.False);
        });
    }

    [Test]
    public void OneOfTwoLargeDisjointEnums_IsCheckedQuickly()
    {
        var words = Words(20_000, 3);
        var schema = Schema(new { oneOf = new object[] { new { @enum = words[..10_000] }, new { @enum = words[10_000..] } } });

        var watch = Stopwatch.StartNew();
        var gbnf = ConstraintCompiler.ToGbnf(new OutputConstraint.JsonSchema(schema));

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
        Assert.That(GbnfRecognizer.For(gbnf).Accepts($"\"{words[12_345]}\""), Is.True);
    }

    [Test]
    public void OneOfOverlappingEnums_IsStillRefused_AsNotExclusive()
    {
        var schema = Schema(new { oneOf = new object[] { new { @enum = new object[] { "a", 1.0, "b" } }, new { @enum = new object[] { 2, 1 } } } });

        var refused = Refusal(new OutputConstraint.JsonSchema(schema), out _);

        Assert.That(refused.Message, Does.Contain("may both match one value"));
    }

    [Test]
    public void Conversion_OverItsTimeBudget_IsRefusedSayingSo()
    {
        var schema = Schema(new { oneOf = new object[] { new { @enum = new[] { "a" } }, new { @enum = new[] { "b" } } } });

        var refused = Assert.Throws<ConstraintException>(() => JsonSchemaGrammar.ToGbnf(schema, TimeSpan.Zero))!;

        Assert.That(refused.Message, Does.Contain("too expensive to convert").And.Contain("limit of 0 ms"));
    }

    [Test]
    public void AHugeEnum_OverTheConversionBudget_IsRefusedSayingSo_WithoutFinishingTheWork()
    {
        var schema = Schema(new { @enum = Words(100_000, 6) });

        var watch = Stopwatch.StartNew();
        var refused = Assert.Throws<ConstraintException>(() => JsonSchemaGrammar.ToGbnf(schema, TimeSpan.FromMilliseconds(50)))!;

        Assert.That(refused.Message, Does.Contain("too expensive to convert: writing 100000 enum values"));
        Assert.That(refused.Keyword, Is.EqualTo("enum"));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public void OptionalProperties_GrowTheGrammarAlmostLinearly_AndHoldFewParseStacks()
    {
        int Length(int count) => JsonSchemaGrammar.ToGbnf(JsonSerializer.SerializeToElement(OptionalProperties(count))).Length;

        var thousand = Length(1_000);
        var twoThousand = Length(2_000);
        var estimate = GbnfCost.Require(GbnfGrammar.Parse(JsonSchemaGrammar.ToGbnf(JsonSerializer.SerializeToElement(OptionalProperties(2_000)))));

        // n log n: 2.2x for twice as many; quadratic growth made it 4x (and 2,000 was refused after a gigabyte of RSS).
        Assert.That((double)twoThousand / thousand, Is.LessThan(2.4));
        Assert.That(twoThousand / 2_000, Is.LessThan(350), "characters per optional property");
        // llama.cpp's own chain of rest rules holds about 3 × 2,000 at a comma.
        Assert.That(estimate.Stacks, Is.LessThan(64), estimate.ToString());
    }

    [TestCase(500)]
    [TestCase(2_000)]
    public void ManyOptionalProperties_PassAdmission_AndKeepTheirMeaning(int count)
    {
        var gbnf = ConstraintCompiler.ToGbnf(new OutputConstraint.JsonSchema(JsonSerializer.SerializeToElement(OptionalProperties(count))));
        var recognizer = GbnfRecognizer.For(gbnf);

        Assert.Multiple(() =>
        {
            Assert.That(recognizer.Accepts("{}"), Is.True);
            Assert.That(recognizer.Accepts("{\"p3\":1}"), Is.True);
            Assert.That(recognizer.Accepts($"{{\"p0\":1,\"p7\":2,\"p{count - 1}\":3}}"), Is.True);
            Assert.That(recognizer.Accepts("{\"p7\":2,\"p0\":1}"), Is.False, "declaration order");
            Assert.That(recognizer.Accepts("{\"p7\":2,\"p7\":2}"), Is.False, "once each");
            Assert.That(recognizer.Accepts("{,\"p7\":2}"), Is.False);
        });
    }

    [Test]
    public void OptionalPropertiesAroundRequiredOnes_KeepTheirMeaning()
    {
        var schema = Schema(new
        {
            type = "object",
            properties = new { a = new { type = "integer" }, b = new { type = "integer" }, c = new { type = "integer" }, d = new { type = "integer" } },
            required = new[] { "c" },
        });

        var recognizer = GbnfRecognizer.For(JsonSchemaGrammar.ToGbnf(schema));

        Assert.Multiple(() =>
        {
            foreach (var valid in new[] { "{\"c\":1}", "{\"a\":1,\"c\":1}", "{\"b\":1,\"c\":1,\"d\":1}", "{\"a\":1,\"b\":1,\"c\":1,\"d\":1}" })
                Assert.That(recognizer.Accepts(valid), Is.True, valid);
            foreach (var invalid in new[] { "{}", "{\"a\":1}", "{\"a\":1,\"d\":1}", "{\"c\":1,\"a\":1}" })
                Assert.That(recognizer.Accepts(invalid), Is.False, invalid);
        });
    }

    /// <summary>The many-member form (over 16) against a validator: required ones, optional ones, additional properties.</summary>
    [Test]
    public void ManyMembers_MixedRequiredOptionalAndAdditional_KeepTheirMeaning()
    {
        var properties = new JsonObject(Enumerable.Range(0, 40).Select(i =>
            KeyValuePair.Create($"k{i}", (JsonNode?)new JsonObject { ["type"] = "integer" })));
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray(JsonValue.Create("k6"), JsonValue.Create("k13"), JsonValue.Create("k39"), JsonValue.Create("extra")),
            ["additionalProperties"] = new JsonObject { ["type"] = "boolean" },
        };
        var gbnf = ConstraintCompiler.ToGbnf(new OutputConstraint.JsonSchema(JsonSerializer.SerializeToElement(schema)));
        var recognizer = GbnfRecognizer.For(gbnf);
        string Object(params string[] members) => "{" + string.Join(",", members) + "}";

        Assert.That(GbnfCost.Require(GbnfGrammar.Parse(gbnf)).Stacks, Is.LessThan(64));
        Assert.Multiple(() =>
        {
            string[] required = ["\"k6\":1", "\"k13\":2", "\"k39\":3", "\"extra\":true"];
            Assert.That(recognizer.Accepts(Object(required)), Is.True, "the required ones alone");
            Assert.That(recognizer.Accepts(Object(["\"k0\":0", "\"k5\":5", .. required[..1], "\"k7\":7", .. required[1..3], .. required[3..], "\"other\":false"])),
                Is.True, "optional ones between, additional ones after");
            Assert.That(recognizer.Accepts(Object(["\"k0\":0", "\"k39\":3", "\"extra\":true"])), Is.False, "a required one left out");
            Assert.That(recognizer.Accepts(Object([.. required[..3], "\"extra\":1"])), Is.False, "an additional value of the wrong type");
            Assert.That(recognizer.Accepts(Object(["\"k13\":2", "\"k6\":1", .. required[2..]])), Is.False, "out of order");
            Assert.That(recognizer.Accepts(Object([.. required, "\"k7\":true"])), Is.False, "a declared name as an additional property");
        });
    }

    [Test]
    public void PatternWithManyLiteralAlternatives_InAJsonString_IsATrieOfTheEscapedText()
    {
        var words = Enumerable.Range(0, 30).Select(i => $"w{i}").Append("quo\"te").Append("back\\slash").ToList();
        var schema = JsonSerializer.SerializeToElement(new { type = "string", pattern = "^(" + string.Join("|", words.Select(System.Text.RegularExpressions.Regex.Escape)) + ")$" });

        var recognizer = GbnfRecognizer.For(ConstraintCompiler.ToGbnf(new OutputConstraint.JsonSchema(schema)));

        Assert.Multiple(() =>
        {
            foreach (var word in words)
                Assert.That(recognizer.Accepts(JsonLiteral.String(word)), Is.True, word);
            Assert.That(recognizer.Accepts("\"w30\""), Is.False);
            Assert.That(recognizer.Accepts("\"quo\"te\""), Is.False, "unescaped quote");
        });
    }

    [Test]
    public void ATooLargeSchema_IsNeverCalledRecursive()
    {
        // 1,100 strings of exactly 999 characters: over a million elements once llama.cpp expands the counts, and not recursive.
        var schema = Schema(new
        {
            type = "object",
            properties = new JsonObject(Enumerable.Range(0, 1_100).Select(i =>
                KeyValuePair.Create($"p{i}", (JsonNode?)new JsonObject { ["type"] = "string", ["minLength"] = 999, ["maxLength"] = 999 }))),
        });

        var refused = Refusal(new OutputConstraint.JsonSchema(schema), out _);

        Assert.That(refused.Message, Does.Not.Contain("recursion"));
        Assert.That(refused.Message, Does.Contain("too large"));
    }

    [Test]
    public void RecursionWithoutEnd_IsStillCalledThat()
    {
        var schema = Schema(new Dictionary<string, object>
        {
            ["$ref"] = "#/$defs/Node",
            ["$defs"] = new { Node = new { type = "object", properties = new { next = new Dictionary<string, string> { ["$ref"] = "#/$defs/Node" } }, required = new[] { "next" } } },
        });

        var refused = Refusal(new OutputConstraint.JsonSchema(schema), out _);

        Assert.That(refused.Message, Does.Contain("recursion admits no finite value"));
    }
}
