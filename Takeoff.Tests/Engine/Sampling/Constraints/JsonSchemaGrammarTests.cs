using System.Globalization;
using System.Text.Json;
using Takeoff.Engine.Sampling.Constraints;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Engine.Sampling.Constraints;

internal sealed class JsonSchemaGrammarTests
{
    private static string Gbnf(string schema) => JsonSchemaGrammar.ToGbnf(JsonDocument.Parse(schema).RootElement);

    private static GbnfRecognizer Recognizer(string schema) => GbnfRecognizer.For(Gbnf(schema));

    private static string RuleBody(string gbnf, string name) =>
        gbnf.Split('\n').Single(line => line.StartsWith(name + " ::= ", StringComparison.Ordinal))[(name.Length + 5)..];

    [Test]
    public void String_ExactGrammar() =>
        Assert.That(Gbnf("""{"type": "string"}"""), Is.EqualTo(
            "root ::= string\n" +
            "space ::= | \" \" | \"\\n\" [ \\t]{0,20}\n" +
            "string ::= \"\\\"\" char* \"\\\"\" space\n" +
            "char ::= [^\"\\\\\\x00-\\x1F] | \"\\\\\" ( [\"\\\\/bfnrt] | \"u\" ( [0-9a-cA-CeEfF] [0-9a-fA-F]{3} | [dD] [0-7] [0-9a-fA-F]{2} ) )\n"));

    [Test]
    public void Object_ExactRules_KeepDeclarationOrder_OptionalGuarded()
    {
        var gbnf = Gbnf("""
            {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0, "maximum": 150}},
             "required": ["name"]}
            """);

        Assert.That(RuleBody(gbnf, "root"), Is.EqualTo("\"{\" space name-kv ( \",\" space age-kv )? \"}\" space"));
        Assert.That(RuleBody(gbnf, "name-kv"), Is.EqualTo("\"\\\"name\\\"\" space \":\" space string"));
        Assert.That(RuleBody(gbnf, "age"), Is.EqualTo("( [0-9] | [1-9] [0-9] | \"1\" ( [0-4] [0-9] | \"50\" ) ) space"));
    }

    [Test]
    public void ArrayAndEnum_ExactRules()
    {
        Assert.That(RuleBody(Gbnf("""{"type": "array", "items": {"type": "number"}, "minItems": 1, "maxItems": 3}"""), "root"),
            Is.EqualTo("\"[\" space number ( \",\" space number ){0,2} \"]\" space"));
        Assert.That(RuleBody(Gbnf("""{"enum": ["red", "gr\"een", 1, null, {"a": [true]}]}"""), "root"),
            Is.EqualTo("( \"\\\"red\\\"\" | \"\\\"gr\\\\\\\"een\\\"\" | \"1\" | \"null\" | \"{\\\"a\\\":[true]}\" ) space"));
    }

    [Test]
    public void RecursiveDefinition_ReferencesItsOwnRule()
    {
        var gbnf = Gbnf("""
            {"$defs": {"Node": {"type": "object", "properties": {"value": {"type": "integer"},
               "next": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]}}, "required": ["value", "next"]}},
             "$ref": "#/$defs/Node"}
            """);

        Assert.That(RuleBody(gbnf, "root"), Is.EqualTo("Node"));
        Assert.That(RuleBody(gbnf, "Node-next"), Is.EqualTo("Node | null"));
        var recognizer = GbnfRecognizer.For(gbnf);
        Assert.That(recognizer.Accepts("""{"value":1,"next":{"value":2,"next":null}}"""), Is.True);
        Assert.That(recognizer.Accepts("""{"value":1,"next":{"value":2}}"""), Is.False);
    }

    [Test]
    public void AnyObject_IsEveryObjectAndNothingElse()
    {
        var recognizer = GbnfRecognizer.For(JsonSchemaGrammar.AnyObject);

        Assert.That(JsonSchemaGrammar.AnyObject, Does.StartWith("root ::= object\n"));
        Assert.That(recognizer.Accepts("""{"a": [1, {"b": null}], "c": "d"}"""), Is.True);
        Assert.That(recognizer.Accepts("{}"), Is.True);
        Assert.That(recognizer.Accepts("[1]"), Is.False);
        Assert.That(recognizer.Accepts("\"text\""), Is.False);
    }

    [TestCase("true")]
    [TestCase("{}")]
    [TestCase("""{"description": "anything", "title": "Any", "x-note": 1}""")]
    public void TrueOrEmptySchema_IsAnyValue(string schema)
    {
        var recognizer = Recognizer(schema);

        Assert.That(new[] { "1", "-2.5e3", "\"s\"", "null", "true", "[]", """{"k": [1]}""" }.Select(recognizer.Accepts), Has.All.True);
        Assert.That(recognizer.Accepts("nul"), Is.False);
    }

    private static IEnumerable<TestCaseData> Behaviour()
    {
        yield return new TestCaseData("""{"properties": {"a": {"type": "string"}, "b": {"type": "integer"}, "c": {"type": "boolean"}}, "required": ["b"]}""",
            new[] { """{"b":1}""", """{"a":"x","b":1}""", """{"b":1,"c":true}""", """{"a":"x","b":1,"c":false}""" },
            new[] { "{}", """{"a":"x"}""", """{"b":1,"a":"x"}""", """{"b":1,"d":2}""", """{"b":"1"}""", "[]" }).SetName("OptionalAroundRequired");
        yield return new TestCaseData("""{"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}}""",
            new[] { "{}", """{"a":1}""", """{"b":2}""", """{"a":1,"b":2}""" },
            new[] { """{"b":2,"a":1}""", """{"a":1,}""", """{,"b":2}""" }).SetName("AllOptional");
        yield return new TestCaseData("""{"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}}""",
            new[] { "{}", """{"a":"x"}""", """{"b":1}""", """{"a":"x","ab":2,"c":3}""", """{"":1}""" },
            new[] { """{"a":1}""", """{"b":"x"}""", """{"a":"x","a":2}""" }).SetName("AdditionalPropertiesSchema_NeverTakesADeclaredName");
        yield return new TestCaseData("""{"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": true}""",
            new[] { """{"a":"x","b":[1,{}]}""", """{"z":null}""" },
            new[] { """{"a":1}""" }).SetName("AdditionalPropertiesTrue");
        yield return new TestCaseData("""{"type": "object", "required": ["id"], "additionalProperties": {"type": "string"}}""",
            new[] { """{"id":"7"}""", """{"id":"7","x":"y"}""" },
            new[] { "{}", """{"id":7}""", """{"x":"y"}""" }).SetName("RequiredButUndeclared_TakesAdditionalPropertiesSchema");
        yield return new TestCaseData("""{"type": "object", "additionalProperties": false}""",
            new[] { "{}", "{ }" }, new[] { """{"a":1}""" }).SetName("NoPropertiesAtAll");
        yield return new TestCaseData("""{"type": ["string", "null"], "maxLength": 2}""",
            new[] { "null", "\"\"", "\"ab\"", "\"\\n\\\"\"", "\"\\u00e9x\"" },
            new[] { "\"abc\"", "1", "\"\\ud800\"" }).SetName("TypeListAndLengthCountingEscapesAsOne");
        yield return new TestCaseData("""{"type": "string", "minLength": 2, "maxLength": 3}""",
            new[] { "\"ab\"", "\"é😀\"", "\"a\\tb\"" }, new[] { "\"a\"", "\"abcd\"", "\"a\nb\"" }).SetName("StringLengthsInCodePoints");
        yield return new TestCaseData("""{"type": "string", "pattern": "ab"}""",
            new[] { "\"ab\"", "\"xxabyy\"", "\"\\\"ab\\n\"" }, new[] { "\"a b\"", "\"\"" }).SetName("UnanchoredPatternMatchesAnywhere");
        yield return new TestCaseData("""{"type": "string", "pattern": "^a\"b\\\\c\\n$"}""",
            new[] { "\"a\\\"b\\\\c\\n\"" }, new[] { "\"a\"b\\\\c\\n\"", "\"a\\\"b\\\\cn\"", "\"xa\\\"b\\\\c\\n\"" }).SetName("PatternCharactersAreWrittenAsJsonEscapes");
        yield return new TestCaseData("""{"type": "string", "pattern": "^[a-z]+$", "maxLength": 3}""",
            new[] { "\"a\"", "\"abc\"" }, new[] { "\"abcd\"", "\"\"", "\"aB\"" }).SetName("PatternWithLengthsNarrowsTheCount");
        yield return new TestCaseData("""{"type": "string", "format": "date"}""",
            new[] { "\"2024-02-29\"", "\"2000-02-29\"", "\"1999-12-31\"", "\"2023-04-30\"" },
            new[] { "\"2023-02-29\"", "\"1900-02-29\"", "\"2023-04-31\"", "\"2023-13-01\"", "\"2023-00-10\"", "\"0999-01-01\"", "\"2023-1-01\"" }).SetName("DateIsACalendarDate");
        yield return new TestCaseData("""{"type": "string", "format": "time"}""",
            new[] { "\"23:59:59Z\"", "\"00:00:00.123+05:30\"", "\"12:30:00-08:00\"" },
            new[] { "\"24:00:00Z\"", "\"12:60:00Z\"", "\"12:30:00\"", "\"12:30Z\"" }).SetName("TimeNeedsAnOffset");
        yield return new TestCaseData("""{"type": "string", "format": "date-time"}""",
            new[] { "\"2024-05-01T12:30:00Z\"", "\"2024-05-01T12:30:00.5+02:00\"" },
            new[] { "\"2024-05-01 12:30:00Z\"", "\"2024-05-01\"" }).SetName("DateTime");
        yield return new TestCaseData("""{"type": "string", "format": "uuid"}""",
            new[] { "\"123e4567-e89b-12d3-a456-426614174000\"", "\"123E4567-E89B-12D3-A456-426614174000\"" },
            new[] { "\"123e4567e89b12d3a456426614174000\"", "\"123e4567-e89b-12d3-a456-42661417400g\"" }).SetName("Uuid");
        yield return new TestCaseData("""{"type": "string", "format": "ipv4"}""",
            new[] { "\"0.0.0.0\"", "\"192.168.1.255\"", "\"255.255.255.255\"" },
            new[] { "\"256.1.1.1\"", "\"01.1.1.1\"", "\"1.1.1\"" }).SetName("Ipv4");
        yield return new TestCaseData("""{"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false}""",
            new[] { "[]", "[\"a\"]", "[\"a\",1]" }, new[] { "[1]", "[\"a\",1,2]", "[\"a\",\"b\"]" }).SetName("TupleWithoutMoreItems");
        yield return new TestCaseData("""{"type": "array", "prefixItems": [{"type": "string"}], "items": {"type": "integer"}, "minItems": 2, "maxItems": 3}""",
            new[] { "[\"a\",1]", "[\"a\",1,2]" }, new[] { "[\"a\"]", "[\"a\",1,2,3]", "[1,2]" }).SetName("TupleThenItems");
        yield return new TestCaseData("""{"type": "array", "items": {"type": "integer"}, "minItems": 2}""",
            new[] { "[1,2]", "[1,2,3,4,5]" }, new[] { "[]", "[1]" }).SetName("MinItemsOnly");
        yield return new TestCaseData("""{"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 1}]}""",
            new[] { "1", "\"a\"" }, new[] { "\"ab\"", "1.5", "null" }).SetName("AnyOf");
        yield return new TestCaseData("""
            {"oneOf": [{"type": "object", "properties": {"kind": {"const": "circle"}, "r": {"type": "number"}}, "required": ["kind", "r"]},
                       {"type": "object", "properties": {"kind": {"const": "square"}, "side": {"type": "number"}}, "required": ["kind", "side"]}]}
            """,
            new[] { """{"kind":"circle","r":1.5}""", """{"kind":"square","side":2}""" },
            new[] { """{"kind":"circle","side":2}""", """{"kind":"triangle","r":1}""" }).SetName("OneOfWithADiscriminator");
        yield return new TestCaseData("""
            {"$defs": {"Base": {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}},
             "allOf": [{"$ref": "#/$defs/Base"}, {"properties": {"name": {"type": "string"}}, "required": ["name"]}]}
            """,
            new[] { """{"id":1,"name":"x"}""" }, new[] { """{"id":1}""", """{"name":"x"}""", """{"name":"x","id":1}""" }).SetName("AllOfMergesObjects");
        yield return new TestCaseData("""{"type": "object", "properties": {"tag": {"type": "string"}}, "anyOf": [{"required": ["tag"]}, {"properties": {"n": {"type": "integer"}}, "required": ["n"]}]}""",
            new[] { """{"tag":"a"}""", """{"tag":"a","n":1}""", """{"n":1}""" }, new[] { "{}", """{"n":"x"}""" }).SetName("AnyOfDistributesOverSiblings");
        yield return new TestCaseData("""{"type": "array", "items": {"$ref": "#"}}""",
            new[] { "[]", "[[],[[]]]" }, new[] { "[1]", "[[1]]" }).SetName("RootRecursion");
        yield return new TestCaseData("""{"definitions": {"n": {"type": "integer", "exclusiveMinimum": 0}}, "type": "array", "items": {"$ref": "#/definitions/n"}}""",
            new[] { "[1,2]" }, new[] { "[0]", "[-1]" }).SetName("DefinitionsRef");
        yield return new TestCaseData("""{"const": {"a": [1, "x"]}}""",
            new[] { """{"a":[1,"x"]}""" }, new[] { """{"a":[1, "x"]}""", """{"a":[1]}""" }).SetName("ConstIsItsCompactText");
        yield return new TestCaseData("""{"type": "integer", "enum": [1, 2.5, "3", 4.0]}""",
            new[] { "1", "4.0" }, new[] { "2.5", "\"3\"" }).SetName("EnumFilteredByType");
    }

    [TestCaseSource(nameof(Behaviour))]
    public void Grammar_AcceptsValidAndRejectsInvalid(string schema, string[] valid, string[] invalid)
    {
        var recognizer = Recognizer(schema);

        Assert.Multiple(() =>
        {
            foreach (var text in valid)
                Assert.That(recognizer.Accepts(text), Is.True, $"valid {text}");
            foreach (var text in invalid)
                Assert.That(recognizer.Accepts(text), Is.False, $"invalid {text}");
        });
    }

    [TestCase(null, false, null, false)]
    [TestCase(0, false, 150, false)]
    [TestCase(-17, false, 42, false)]
    [TestCase(-250, true, -9, true)]
    [TestCase(7, true, null, false)]
    [TestCase(null, false, -100, false)]
    [TestCase(5, false, 5, false)]
    [TestCase(99, false, 101, true)]
    public void IntegerRange_AcceptsExactlyTheIntegersInRange(int? min, bool minExclusive, int? max, bool maxExclusive)
    {
        var recognizer = Recognizer(Schema("integer", min, minExclusive, max, maxExclusive));

        var wrong = Enumerable.Range(-300, 601).Where(n =>
        {
            var inRange = (min is null || (minExclusive ? n > min : n >= min)) && (max is null || (maxExclusive ? n < max : n <= max));
            return recognizer.Accepts(n.ToString(CultureInfo.InvariantCulture)) != inRange;
        }).ToList();

        Assert.That(wrong, Is.Empty);
        Assert.That(recognizer.Accepts("007"), Is.False, "no leading zeros");
        if (min is not null || max is not null)
            Assert.That(recognizer.Accepts("-0"), Is.False, "bounded ranges write zero once");
    }

    [Test]
    public void IntegerRange_FractionalBoundsRoundInward()
    {
        var recognizer = Recognizer("""{"type": "integer", "minimum": 1.5, "exclusiveMaximum": 4.2}""");

        Assert.That(new[] { "1", "2", "3", "4", "5" }.Select(recognizer.Accepts), Is.EqualTo(new[] { false, true, true, true, false }));
    }

    [TestCase(0, false, 10, true)]
    [TestCase(-5, true, 5, false)]
    [TestCase(null, false, -2, false)]
    [TestCase(3, true, null, false)]
    [TestCase(2, false, 2, false)]
    public void NumberRange_AcceptsExactlyTheNumbersInRange(int? min, bool minExclusive, int? max, bool maxExclusive)
    {
        var recognizer = Recognizer(Schema("number", min, minExclusive, max, maxExclusive));
        string[] samples =
        [
            "0", "0.5", "-0.5", "1.25", "2", "2.0", "2.001", "-2", "-2.0", "-2.5", "-1.999", "3", "3.0", "3.5", "4.75",
            "5", "5.0", "5.01", "-5", "-5.0", "-4.9", "-5.1", "9.999", "10", "10.0", "-100.5", "250",
        ];

        var wrong = samples.Where(text =>
        {
            var n = decimal.Parse(text, CultureInfo.InvariantCulture);
            var inRange = (min is null || (minExclusive ? n > min : n >= min)) && (max is null || (maxExclusive ? n < max : n <= max));
            return recognizer.Accepts(text) != inRange;
        }).ToList();

        Assert.That(wrong, Is.Empty);
    }

    private static string Schema(string type, int? min, bool minExclusive, int? max, bool maxExclusive)
    {
        var keywords = new List<string> { $"\"type\": \"{type}\"" };
        if (min is { } low)
            keywords.Add(string.Create(CultureInfo.InvariantCulture, $"\"{(minExclusive ? "exclusiveMinimum" : "minimum")}\": {low}"));
        if (max is { } high)
            keywords.Add(string.Create(CultureInfo.InvariantCulture, $"\"{(maxExclusive ? "exclusiveMaximum" : "maximum")}\": {high}"));
        return "{" + string.Join(", ", keywords) + "}";
    }

    [Test]
    public void Whitespace_IsOneBoundedRunBetweenTokens()
    {
        var recognizer = Recognizer("""{"type": "object", "properties": {"a": {"type": "array", "items": {"type": "integer"}}}}""");

        Assert.That(recognizer.Accepts("{\"a\": [1, 2]}"), Is.True);
        Assert.That(recognizer.Accepts("{\n  \"a\" : [\n\t1,\n" + new string(' ', 20) + "2\n]\n}\n"), Is.True);
        Assert.That(recognizer.Accepts("{  \"a\": []}"), Is.False, "two spaces");
        Assert.That(recognizer.Accepts("{\n\n\"a\": []}"), Is.False, "two newlines");
        Assert.That(recognizer.IsPrefix("{\n" + new string(' ', 21)), Is.False, "21 spaces of indentation");
        Assert.That(recognizer.IsPrefix("{\"a\": [1] }   "), Is.False, "no endless trailing whitespace");
    }

    private static IEnumerable<TestCaseData> Refused()
    {
        yield return new TestCaseData("""{"type": "object", "properties": {"price": {"type": "number", "multipleOf": 0.01}}}""", "properties.price.multipleOf", "'multipleOf' is not supported");
        yield return new TestCaseData("""{"type": "object", "patternProperties": {"^x": {}}}""", "patternProperties", "not supported");
        yield return new TestCaseData("""{"type": "array", "uniqueItems": true}""", "uniqueItems", "cannot compare array items");
        yield return new TestCaseData("""{"not": {"type": "string"}}""", "not", "negation");
        yield return new TestCaseData("""{"if": {"type": "string"}, "then": {"minLength": 1}}""", "if", "conditionals");
        yield return new TestCaseData("""{"type": "object", "dependentRequired": {"a": ["b"]}}""", "dependentRequired", "not supported");
        yield return new TestCaseData("""{"type": "object", "properties": {"a": {"minProperties": 1}}}""", "properties.a.minProperties", "not supported");
        yield return new TestCaseData("""{"type": "object", "properties": {"email": {"type": "string", "format": "email"}}}""", "properties.email.format", "format 'email' is not supported");
        yield return new TestCaseData("""{"type": "object", "properties": {"x": {"type": "number", "minimum": 0.5}}}""", "properties.x.minimum", "only supported on integers");
        yield return new TestCaseData("""{"type": "number", "exclusiveMinimum": true, "minimum": 0}""", "exclusiveMinimum", "draft-04");
        yield return new TestCaseData("""{"type": "bogus"}""", "type", "'bogus' is not a JSON Schema type");
        yield return new TestCaseData("""{"type": ["string", 3]}""", "type", "'type' must be");
        yield return new TestCaseData("""{"$ref": "#/$defs/missing"}""", "$ref", "points at nothing");
        yield return new TestCaseData("""{"properties": {"a": {"$ref": "#/definitions/x"}}}""", "properties.a.$ref", "points at nothing");
        yield return new TestCaseData("""{"$ref": "https://example.com/schema.json"}""", "$ref", "only references inside the schema");
        yield return new TestCaseData("""{"$ref": "#node"}""", "$ref", "anchors are not supported");
        yield return new TestCaseData("42", null, "a schema must be an object or a boolean");
        yield return new TestCaseData("false", null, "the schema is false");
        yield return new TestCaseData("""{"properties": {"a": false}, "required": ["a"]}""", "properties.a", "has the schema false");
        yield return new TestCaseData("""{"type": "object", "required": ["a"], "additionalProperties": false}""", "required", "additionalProperties is false");
        yield return new TestCaseData("""{"enum": []}""", "enum", "no value is valid");
        yield return new TestCaseData("""{"type": "string", "enum": [1, 2]}""", "enum", "none of the declared type");
        yield return new TestCaseData("""{"enum": ["a"], "minLength": 1}""", "minLength", "together with enum/const");
        yield return new TestCaseData("""{"type": "string", "minLength": 5, "maxLength": 2}""", "maxLength", "below 'minLength'");
        yield return new TestCaseData("""{"type": "integer", "minimum": 5, "maximum": 4}""", "minimum", "no value is valid");
        yield return new TestCaseData("""{"type": "array", "prefixItems": [{}], "items": false, "minItems": 2}""", "minItems", "no array is valid");
        yield return new TestCaseData("""{"type": "string", "minLength": -1}""", "minLength", "non-negative integer");
        yield return new TestCaseData("""{"oneOf": [{"type": "number"}, {"type": "integer"}]}""", "oneOf", "branches 0 and 1 may both match");
        yield return new TestCaseData("""{"oneOf": [{"type": "object", "properties": {"a": {}}}, {"type": "object", "properties": {"b": {}}}]}""", "oneOf", "may both match");
        yield return new TestCaseData("""{"type": "object", "requried": ["a"]}""", "requried", "unknown keyword 'requried'");
        yield return new TestCaseData("""{"type": "string", "nullable": true}""", "nullable", "OpenAPI");
        yield return new TestCaseData("""{"type": "array", "items": [{"type": "string"}]}""", "items", "use 'prefixItems'");
        yield return new TestCaseData("""{"properties": {"a": {"$id": "other", "type": "string"}}}""", "properties.a.$id", "only supported at the root");
        yield return new TestCaseData("""{"type": "string", "pattern": "(a)\\1"}""", "pattern", "back-references are not supported at position 3");
        yield return new TestCaseData("""{"properties": {"code": {"type": "string", "pattern": "^(?=x)"}}}""", "properties.code.pattern", "look-ahead");
        yield return new TestCaseData("""{"type": "string", "pattern": "^a|b$", "maxLength": 3}""", "pattern", "only supported when the pattern is one anchored character class");
        yield return new TestCaseData("""{"type": "string", "format": "date", "maxLength": 10}""", "format", "together with pattern, minLength or maxLength");
        yield return new TestCaseData("""{"allOf": [{"type": "string"}, {"type": "integer"}]}""", "allOf", "no type in common");
        yield return new TestCaseData("""{"allOf": [{"pattern": "^a"}, {"pattern": "^b"}]}""", "allOf", "two different 'pattern' values");
        yield return new TestCaseData("""{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}""", "$ref", "admits no finite value");
        yield return new TestCaseData("""{"type": "object", "properties": {"self": {"$ref": "#"}}, "required": ["self"]}""", "$ref", "admits no finite value");
        yield return new TestCaseData("""{"$defs": {"x": {"allOf": [{"$ref": "#/$defs/x"}]}}, "$ref": "#/$defs/x"}""", "$ref", "admits no finite value");
        yield return new TestCaseData("""{"$defs": {"x": {"allOf": [{"$ref": "#/$defs/x"}, {"type": "object"}]}}, "$ref": "#/$defs/x"}""", "$defs.x.allOf.0.$ref", "is recursive");
        yield return new TestCaseData("""
            {"$defs": {"a": {"allOf": [{"$ref": "#/$defs/b"}, {"minLength": 1}]}, "b": {"allOf": [{"$ref": "#/$defs/a"}, {"maxLength": 9}]}},
             "allOf": [{"$ref": "#/$defs/a"}, {"type": "string"}]}
            """, "$defs.b.allOf.0", "loop without reaching a schema");
        yield return new TestCaseData("""{"anyOf": [{"type": "string"}], "oneOf": [{"type": "string"}]}""", "oneOf", "'anyOf' and 'oneOf' in one schema");
        yield return new TestCaseData("""{"type": "string", "maxLength": 2000001}""", "maxLength", "a repetition count above 1000000");
        yield return new TestCaseData("""{"enum": ["ok", "\udc00x"]}""", "enum.1", "not valid Unicode");
        yield return new TestCaseData("""{"type": "object", "properties": {"child": {"allOf": [{"$ref": "#"}, {"required": ["x"]}]}}}""", "properties.child.allOf.0.$ref", "is recursive");
        yield return new TestCaseData("{\"prefixItems\": [" + string.Join(", ", Enumerable.Repeat("{}", 257)) + "]}", "prefixItems", "more than 256");
    }

    [TestCaseSource(nameof(Refused))]
    public void UnenforceableOrBrokenSchema_IsRefusedNamingTheKeyword(string schema, string? keyword, string message) =>
        Assert.That(() => Gbnf(schema), Throws.TypeOf<ConstraintException>()
            .With.Message.Contains(message)
            .And.Property(nameof(ConstraintException.Keyword)).EqualTo(keyword));

    [TestCase("""{"properties": 5}""")]
    [TestCase("""{"required": "a"}""")]
    [TestCase("""{"required": ["a", 1]}""")]
    [TestCase("""{"items": 5}""")]
    [TestCase("""{"enum": "x"}""")]
    [TestCase("""{"anyOf": {}}""")]
    [TestCase("""{"anyOf": []}""")]
    [TestCase("""{"minLength": "3"}""")]
    [TestCase("""{"minLength": 3.5}""")]
    [TestCase("""{"pattern": 5}""")]
    [TestCase("""{"$ref": 5}""")]
    [TestCase("""{"additionalProperties": 5}""")]
    [TestCase("""{"prefixItems": {}}""")]
    [TestCase("""{"const": "\ud800"}""")]
    [TestCase("""{"enum": ["ok", "\udc00x"]}""")]
    [TestCase("""{"properties": {"\ud800": {"type": "string"}}}""")]
    [TestCase("""{"properties": {"\ud800": {"type": "string"}}, "additionalProperties": true}""")]
    [TestCase("""{"type": []}""")]
    [TestCase("""{"allOf": []}""")]
    [TestCase("""{"allOf": [5]}""")]
    [TestCase("""{"$defs": 5, "$ref": "#/$defs/x"}""")]
    [TestCase("""{"format": 5}""")]
    [TestCase("""{"maximum": "1"}""")]
    [TestCase("""{"type": "integer", "exclusiveMaximum": 1e400}""")]
    [TestCase("""{"type": "integer", "minimum": 1e25}""")]
    [TestCase("""{"type": "integer", "maximum": -1e25}""")]
    [TestCase("""{"type": "number", "minimum": 1e20, "maximum": 1e20}""")]
    [TestCase("""{"$ref": "#/$defs/x%zz"}""")]
    [TestCase("""{"$ref": "#/items/0", "items": [1]}""")]
    [TestCase("""{"$ref": ""}""")]
    [TestCase("""{"$ref": "#/"}""")]
    [TestCase("""{"$ref": "#/a~2b"}""")]
    [TestCase("""{"maxItems": 1e10, "type": "array"}""")]
    [TestCase("""{"type": "string", "maxLength": 1e10}""")]
    [TestCase("""{"type": "array", "minItems": 2000001, "items": {}}""")]
    [TestCase("""{"pattern": "("}""")]
    [TestCase("""{"pattern": "\ud800"}""")]
    [TestCase("""{"enum": [1e400]}""")]
    [TestCase("""{"const": 1e400, "type": "integer"}""")]
    [TestCase("""{"oneOf": [true, {"type": "string"}]}""")]
    [TestCase("""{"oneOf": [false, {"type": "string"}]}""")]
    [TestCase("""{"anyOf": [false]}""")]
    [TestCase("""{"properties": {"a": {"properties": {"b": {"items": {"anyOf": [{"allOf": [{"$ref": "#"}]}]}}}}}}""")]
    [TestCase("""{"allOf": [{"$ref": "#"}]}""")]
    [TestCase("""{"anyOf": [{"$ref": "#"}, {"type": "null"}]}""")]
    [TestCase("""{"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": false, "allOf": [{"properties": {"b": {}}}]}""")]
    [TestCase("""{"additionalProperties": {"$ref": "#"}}""")]
    [TestCase("""{"items": {"$ref": "#/items"}}""")]
    [TestCase("""{"uniqueItems": "yes"}""")]
    [TestCase("""{"type": "object", "properties": {"": {"type": "string"}}, "additionalProperties": true}""")]
    [TestCase("""{"type":"object","properties":{"child":{"allOf":[{"$ref":"#"},{"required":["x"]}]}}}""")]
    [TestCase("""{"$defs":{"T":{"allOf":[{"$ref":"#/$defs/B"}],"properties":{"kids":{"items":{"$ref":"#/$defs/T"}}}},"B":{"properties":{"id":{"type":"integer"}},"required":["id"]}},"$ref":"#/$defs/T"}""")]
    public void OddSchema_ConvertsOrIsRefusedAsAClientError(string schema)
    {
        try
        {
            GbnfGrammar.Parse(Gbnf(schema));
        }
        catch (ConstraintException e)
        {
            Assert.That(e.Message, Is.Not.Empty);
        }
    }

    [Test]
    public void RecursiveRefInsideASingleAllOf_StaysARuleReference()
    {
        var recognizer = Recognizer("""{"properties": {"a": {"properties": {"b": {"items": {"anyOf": [{"allOf": [{"$ref": "#"}]}]}}}}}}""");

        Assert.That(recognizer.Accepts("""{"a":{"b":[{},{"a":{"b":[]}}]}}"""), Is.True);
        Assert.That(recognizer.Accepts("""{"a":{"b":[1]}}"""), Is.False);
    }

    [Test]
    public void LongPropertyNames_StillExcludedFromAdditionalKeys()
    {
        var name = new string('k', 300);
        var recognizer = Recognizer($$$"""{"type": "object", "properties": {"{{{name}}}": {"type": "integer"}}, "additionalProperties": {"type": "string"}}""");

        Assert.That(recognizer.Accepts($$$"""{"{{{name}}}":1}"""), Is.True);
        Assert.That(recognizer.Accepts($$$"""{"{{{name}}}k":"x"}"""), Is.True);
        Assert.That(recognizer.Accepts($$$"""{"{{{name[..^1]}}}":"x"}"""), Is.True);
        Assert.That(recognizer.Accepts($$$"""{"{{{name}}}":"x"}"""), Is.False);
    }

    [TestCase("""{"type": "array", "uniqueItems": false, "items": {"type": "string", "title": "T", "description": "d", "default": "x", "examples": ["y"]}}""")]
    [TestCase("""{"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://example.com/s", "$comment": "c", "type": "integer", "deprecated": true, "readOnly": false}""")]
    public void Annotations_AreIgnored(string schema) => Assert.That(() => Gbnf(schema), Throws.Nothing);

    [Test]
    public void LargeCounts_StayWithinLlamaCppsLimits()
    {
        var gbnf = Gbnf("""{"type": "array", "items": {"type": "string", "minLength": 1500, "maxLength": 2500}, "maxItems": 3000}""");
        var recognizer = GbnfRecognizer.For(gbnf);

        Assert.That(recognizer.Accepts("[\"" + new string('x', 2500) + "\"]"), Is.True);
        Assert.That(recognizer.Accepts("[\"" + new string('x', 2501) + "\"]"), Is.False);
        Assert.That(recognizer.Accepts("[\"" + new string('x', 1499) + "\"]"), Is.False);
    }
}
