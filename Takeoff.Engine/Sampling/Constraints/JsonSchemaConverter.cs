using System.Text.Json;
using System.Text.Json.Nodes;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// Walks a schema and writes one rule per subschema that needs one (named from its path: <c>root</c>,
/// <c>address-street</c>, <c>Node</c> for <c>#/$defs/Node</c>), sharing the primitives of <see cref="JsonPrimitives"/>.
/// It resolves references and combinators itself and hands each type to its grammar (JsonObjectGrammar,
/// JsonArrayGrammar, JsonStringGrammar, JsonNumberGrammar). See <see cref="JsonSchemaGrammar"/> for what is
/// enforced and what is refused.
/// </summary>
internal sealed class JsonSchemaConverter
{
    /// <summary>JsonDocument stops at 64 levels; merged schemas can add a few.</summary>
    private const int MaxDepth = 128;

    private readonly JsonElement _schema;
    private readonly JsonSchemaRefs _refs;
    private readonly JsonSchemaMerger _merger;
    private readonly JsonOneOfCheck _oneOf;
    private readonly ConversionBudget _budget;
    private readonly GbnfRuleSet _rules = new(JsonPrimitives.Names);
    private readonly Dictionary<string, string> _refRules = new(StringComparer.Ordinal);
    private readonly HashSet<string> _defined = new(StringComparer.Ordinal);
    private int _depth;

    public JsonSchemaConverter(JsonElement schema, ConversionBudget budget)
    {
        _schema = schema;
        _budget = budget;
        _refs = new JsonSchemaRefs(schema);
        _merger = new JsonSchemaMerger(_refs, pointer => _refRules.ContainsKey(pointer) && !_defined.Contains(pointer));
        _oneOf = new JsonOneOfCheck(_refs, budget);
    }

    public string Convert()
    {
        var root = _rules.Reserve("root");
        _refRules[""] = root;
        _rules.Define(root, Body(_schema, "", "root"));
        return _rules.ToString();
    }

    private string Use(string primitive) => JsonPrimitives.Use(_rules, primitive);

    /// <summary>One symbol for the schema: its rule, or the primitive that already says it all.</summary>
    private string Symbol(JsonElement schema, string path, string hint)
    {
        var body = Body(schema, path, hint);
        return body.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? body : _rules.Add(hint, body);
    }

    private string Body(JsonElement schema, string path, string hint)
    {
        if (++_depth > MaxDepth)
            throw new ConstraintException("the schema is nested too deeply (or recurses through allOf)", path.Length > 120 ? "..." + path[^117..] : path);
        try
        {
            _budget.Check("converting it", path.Length == 0 ? null : path);
            JsonSchemaValues.RequireSchema(schema, path);
            if (schema.ValueKind == JsonValueKind.True)
                return Use("value");
            if (schema.ValueKind == JsonValueKind.False)
                throw new ConstraintException("the schema is false: no value is valid", path.Length == 0 ? null : path);
            JsonSchemaKeywords.Check(schema, path);

            var constraining = schema.EnumerateObject().Select(p => p.Name).Where(JsonSchemaKeywords.Constrains).ToList();
            if (constraining.Count == 0)
                return Use("value");
            if (schema.TryGetProperty("$ref", out _))
                return constraining.Count == 1 ? Reference(schema, path) : Body(_merger.Merge([(schema, path)], path), path, hint);
            if (schema.TryGetProperty("allOf", out var allOf))
            {
                // A lone part (Pydantic's {"allOf": [{"$ref": ...}]}) is that part: a bare $ref stays a rule reference.
                return constraining.Count == 1 && allOf.ValueKind == JsonValueKind.Array && allOf.GetArrayLength() == 1
                    ? Body(allOf[0], JsonSchemaPath.Keyword(path, "allOf.0"), hint)
                    : Body(_merger.Merge([(schema, path)], path), path, hint);
            }
            if (schema.TryGetProperty("anyOf", out _) || schema.TryGetProperty("oneOf", out _))
                return Choice(schema, constraining, path, hint);
            if (schema.TryGetProperty("enum", out _) || schema.TryGetProperty("const", out _))
                return Constant(schema, constraining, path);
            return Typed(schema, path, hint);
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>A bare <c>$ref</c>: one rule per target, named before its body exists, so recursion refers back to it.</summary>
    private string Reference(JsonElement schema, string path)
    {
        var pointer = _refs.Pointer(schema, path);
        if (_refRules.TryGetValue(pointer, out var name))
            return name;
        name = _rules.Reserve(JsonSchemaRefs.NameOf(pointer));
        _refRules[pointer] = name;
        _rules.Define(name, Body(_refs.Target(pointer), JsonSchemaRefs.PathOf(pointer), name));
        _defined.Add(pointer);
        return name;
    }

    private string Choice(JsonElement schema, List<string> constraining, string path, string hint)
    {
        if (schema.TryGetProperty("anyOf", out _) && schema.TryGetProperty("oneOf", out _))
            throw new ConstraintException("'anyOf' and 'oneOf' in one schema are not supported", JsonSchemaPath.Keyword(path, "oneOf"));
        var keyword = schema.TryGetProperty("anyOf", out _) ? "anyOf" : "oneOf";
        var branches = JsonSchemaValues.Schemas(schema, keyword, path)
            .Select((branch, i) => (Schema: branch, Path: JsonSchemaPath.Keyword(path, $"{keyword}.{i}")))
            .Where(b => b.Schema.ValueKind != JsonValueKind.False)
            .ToList();
        if (branches.Count == 0)
            throw new ConstraintException($"every '{keyword}' branch is false: no value is valid", JsonSchemaPath.Keyword(path, keyword));

        // Keywords beside anyOf apply to every branch.
        if (constraining.Count > 1)
        {
            var rest = new JsonObject();
            foreach (var property in schema.EnumerateObject().Where(p => p.Name != keyword))
                rest[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            var shared = JsonSerializer.SerializeToElement(rest);
            branches = [.. branches.Select(b => (_merger.Merge([(shared, path), (b.Schema, b.Path)], path), b.Path))];
        }
        if (keyword == "oneOf")
            _oneOf.RequireExclusive([.. branches.Select(b => b.Schema)], path);

        return string.Join(" | ", branches.Select((b, i) => Symbol(b.Schema, b.Path, $"{hint}-{i}")).Distinct(StringComparer.Ordinal));
    }

    private string Constant(JsonElement schema, List<string> constraining, string path)
    {
        if (constraining.FirstOrDefault(k => k is not ("enum" or "const" or "type")) is { } other)
            throw new ConstraintException($"'{other}' together with enum/const is not supported", JsonSchemaPath.Keyword(path, other));
        List<JsonElement>? values = null;
        if (schema.TryGetProperty("enum", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array)
                throw new ConstraintException("'enum' must be an array", JsonSchemaPath.Keyword(path, "enum"));
            values = [.. list.EnumerateArray()];
        }
        if (schema.TryGetProperty("const", out var constant))
            values = values is null ? [constant] : [.. values.Where(v => JsonElement.DeepEquals(v, constant))];
        var types = JsonSchemaTypes.Declared(schema, path);
        if (types != JsonTypes.None)
            values = [.. values!.Where(v => JsonSchemaTypes.Admits(types, v))];
        if (values!.Count == 0)
            throw new ConstraintException("no enum/const value is allowed (empty, or none of the declared type): no value is valid",
                JsonSchemaPath.Keyword(path, schema.TryGetProperty("enum", out _) ? "enum" : "const"));

        Use("space");
        var texts = values.Select(JsonLiteral.Value).Distinct(StringComparer.Ordinal).ToList();
        if (texts.Count > GbnfTrie.FlatAlternatives)
        {
            var keyword = JsonSchemaPath.Keyword(path, schema.TryGetProperty("enum", out _) ? "enum" : "const");
            void Checkpoint() => _budget.Check($"writing {texts.Count} enum values", keyword);
            Checkpoint();
            var trie = GbnfTrie.Alternation(texts.Select(t => (IReadOnlyList<int>)[.. t.EnumerateRunes().Select(r => r.Value)]), _rules, "enum",
                Checkpoint);
            return $"{trie} space";
        }
        var literals = texts.Select(GbnfText.Literal).ToList();
        return literals.Count == 1 ? $"{literals[0]} space" : $"( {string.Join(" | ", literals)} ) space";
    }

    private string Typed(JsonElement schema, string path, string hint)
    {
        var types = JsonSchemaTypes.Generated(schema, path);
        var parts = new List<string>();
        if (types.HasFlag(JsonTypes.Object))
            parts.Add(JsonObjectGrammar.Body(schema, path, hint, _rules, Symbol));
        if (types.HasFlag(JsonTypes.Array))
            parts.Add(JsonArrayGrammar.Body(schema, path, hint, _rules, Symbol));
        if (types.HasFlag(JsonTypes.String))
            parts.Add(JsonStringGrammar.Body(schema, path, hint, _rules));
        if (types.HasFlag(JsonTypes.Number))
            parts.Add(JsonNumberGrammar.Body(schema, path, integer: false, _rules));
        else if (types.HasFlag(JsonTypes.Integer))
            parts.Add(JsonNumberGrammar.Body(schema, path, integer: true, _rules));
        if (types.HasFlag(JsonTypes.Boolean))
            parts.Add(Use("boolean"));
        if (types.HasFlag(JsonTypes.Null))
            parts.Add(Use("null"));
        return string.Join(" | ", parts);
    }
}
