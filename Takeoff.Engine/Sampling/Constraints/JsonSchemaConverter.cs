using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// Walks a schema and writes one rule per subschema that needs one (named from its path: <c>root</c>,
/// <c>address-street</c>, <c>Node</c> for <c>#/$defs/Node</c>), sharing the primitives of <see cref="JsonPrimitives"/>.
/// See <see cref="JsonSchemaGrammar"/> for what is enforced and what is refused.
/// </summary>
internal sealed class JsonSchemaConverter
{
    /// <summary>JsonDocument stops at 64 levels; merged schemas can add a few.</summary>
    private const int MaxDepth = 128;

    /// <summary>Each prefix item nests one optional group in the next.</summary>
    private const int MaxPrefixItems = 256;

    private readonly JsonElement _schema;
    private readonly JsonSchemaRefs _refs;
    private readonly JsonSchemaMerger _merger;
    private readonly JsonOneOfCheck _oneOf;
    private readonly GbnfRuleSet _rules = new(JsonPrimitives.Names);
    private readonly Dictionary<string, string> _refRules = new(StringComparer.Ordinal);
    private readonly HashSet<string> _defined = new(StringComparer.Ordinal);
    private int _depth;

    public JsonSchemaConverter(JsonElement schema)
    {
        _schema = schema;
        _refs = new JsonSchemaRefs(schema);
        _merger = new JsonSchemaMerger(_refs, pointer => _refRules.ContainsKey(pointer) && !_defined.Contains(pointer));
        _oneOf = new JsonOneOfCheck(_refs);
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
        var literals = values.Select(v => GbnfText.Literal(JsonLiteral.Value(v))).Distinct(StringComparer.Ordinal).ToList();
        return literals.Count == 1 ? $"{literals[0]} space" : $"( {string.Join(" | ", literals)} ) space";
    }

    private string Typed(JsonElement schema, string path, string hint)
    {
        var types = JsonSchemaTypes.Generated(schema, path);
        var parts = new List<string>();
        if (types.HasFlag(JsonTypes.Object))
            parts.Add(ObjectBody(schema, path, hint));
        if (types.HasFlag(JsonTypes.Array))
            parts.Add(ArrayBody(schema, path, hint));
        if (types.HasFlag(JsonTypes.String))
            parts.Add(StringBody(schema, path, hint));
        if (types.HasFlag(JsonTypes.Number))
            parts.Add(NumberBody(schema, path, integer: false));
        else if (types.HasFlag(JsonTypes.Integer))
            parts.Add(NumberBody(schema, path, integer: true));
        if (types.HasFlag(JsonTypes.Boolean))
            parts.Add(Use("boolean"));
        if (types.HasFlag(JsonTypes.Null))
            parts.Add(Use("null"));
        return string.Join(" | ", parts);
    }

    private string NumberBody(JsonElement schema, string path, bool integer)
    {
        var lower = Bound(schema, path, "minimum", "exclusiveMinimum", pickLarger: true);
        var upper = Bound(schema, path, "maximum", "exclusiveMaximum", pickLarger: false);
        if (lower is null && upper is null)
            return Use(integer ? "integer" : "number");

        string range;
        if (integer)
        {
            BigInteger? min = lower is { } l ? new BigInteger(l.Exclusive ? decimal.Floor(l.Value) + 1 : decimal.Ceiling(l.Value)) : null;
            BigInteger? max = upper is { } u ? new BigInteger(u.Exclusive ? decimal.Ceiling(u.Value) - 1 : decimal.Floor(u.Value)) : null;
            range = min > max ? "" : NumberRangeGrammar.Integer(min, max);
        }
        else
        {
            foreach (var (bound, keyword) in new[] { (lower, "minimum"), (upper, "maximum") })
            {
                if (bound is { } b && decimal.Truncate(b.Value) != b.Value)
                    throw new ConstraintException("a bound with a fraction is only supported on integers (integral bounds on numbers are)",
                        JsonSchemaPath.Keyword(path, b.Keyword));
            }
            var empty = lower is { } l && upper is { } u && (l.Value > u.Value || (l.Value == u.Value && (l.Exclusive || u.Exclusive)));
            range = empty ? "" : NumberRangeGrammar.Number(
                lower is { } min ? new BigInteger(min.Value) : null, lower?.Exclusive ?? false,
                upper is { } max ? new BigInteger(max.Value) : null, upper?.Exclusive ?? false);
        }
        if (range.Length == 0)
            throw new ConstraintException("the minimum is above the maximum: no value is valid", JsonSchemaPath.Keyword(path, lower!.Value.Keyword));
        Use("space");
        return range.Contains(" | ", StringComparison.Ordinal) ? $"( {range} ) space" : $"{range} space";
    }

    private static (decimal Value, bool Exclusive, string Keyword)? Bound(JsonElement schema, string path, string inclusive, string exclusive, bool pickLarger)
    {
        var a = JsonSchemaValues.Number(schema, inclusive, path) is { } i ? (i, false, inclusive) : ((decimal, bool, string)?)null;
        var b = JsonSchemaValues.Number(schema, exclusive, path) is { } e ? (e, true, exclusive) : ((decimal, bool, string)?)null;
        if (a is null || b is null)
            return a ?? b;
        var (x, y) = (a.Value.Item1, b.Value.Item1);
        return x == y ? b : (pickLarger ? x > y : x < y) ? a : b;
    }

    private string StringBody(JsonElement schema, string path, string hint)
    {
        var min = JsonSchemaValues.Count(schema, "minLength", path) ?? 0;
        var max = JsonSchemaValues.Count(schema, "maxLength", path);
        if (max < min)
            throw new ConstraintException("'maxLength' is below 'minLength': no string is valid", JsonSchemaPath.Keyword(path, "maxLength"));
        var format = JsonSchemaValues.Text(schema, "format", path);
        var pattern = JsonSchemaValues.Text(schema, "pattern", path);

        if (format is not null)
        {
            var keyword = JsonSchemaPath.Keyword(path, "format");
            if (!JsonPrimitives.Formats.Contains(format))
                throw new ConstraintException($"format '{format}' is not supported (supported: {string.Join(", ", JsonPrimitives.Formats)})", keyword);
            if (pattern is not null || min > 0 || max is not null)
                throw new ConstraintException("'format' together with pattern, minLength or maxLength is not supported", keyword);
            return Use(format + "-string");
        }

        Use("space");
        string content;
        if (pattern is not null)
        {
            try
            {
                content = RegexGrammar.ToJsonStringContent(pattern, _rules, hint, () => Use("char"), min, max);
            }
            catch (ConstraintException e) when (e.Keyword == "pattern")
            {
                throw new ConstraintException($"'pattern': {e.Message}", JsonSchemaPath.Keyword(path, "pattern"), e);
            }
        }
        else if (min == 0 && max is null)
        {
            return Use("string");
        }
        else
        {
            content = _rules.Repeat(Use("char"), min, max, JsonSchemaPath.Keyword(path, max is null ? "minLength" : "maxLength"));
        }
        return $"\"\\\"\" {content} \"\\\"\" space";
    }

    private string ArrayBody(JsonElement schema, string path, string hint)
    {
        var hasItems = schema.TryGetProperty("items", out var items);
        if (hasItems && items.ValueKind == JsonValueKind.Array)
            throw new ConstraintException("'items' as an array is draft-07 syntax: use 'prefixItems'", JsonSchemaPath.Keyword(path, "items"));
        var prefix = JsonSchemaValues.Schemas(schema, "prefixItems", path);
        if (prefix.Count > MaxPrefixItems)
            throw new ConstraintException($"more than {MaxPrefixItems} 'prefixItems' are not supported", JsonSchemaPath.Keyword(path, "prefixItems"));
        var min = JsonSchemaValues.Count(schema, "minItems", path) ?? 0;
        var max = JsonSchemaValues.Count(schema, "maxItems", path);
        if (prefix.Count == 0 && !hasItems && min == 0 && max is null)
            return Use("array");

        // Without 'items', positions after prefixItems could hold anything: generate them only when minItems needs them.
        string? item = hasItems
            ? items.ValueKind == JsonValueKind.False ? null : Symbol(items, JsonSchemaPath.Keyword(path, "items"), $"{hint}-item")
            : prefix.Count == 0 || min > prefix.Count ? Use("value") : null;
        var most = item is null ? Math.Min(max ?? prefix.Count, prefix.Count) : max;
        if (min > most)
            throw new ConstraintException("'minItems' is above the number of items allowed: no array is valid", JsonSchemaPath.Keyword(path, "minItems"));
        var prefixSymbols = prefix
            .Take(most ?? prefix.Count)
            .Select((s, i) => Symbol(s, JsonSchemaPath.Keyword(path, $"prefixItems.{i}"), $"{hint}-{i}"))
            .ToList();

        Use("space");
        var elements = Elements(0, prefixSymbols, item, min, most, JsonSchemaPath.Keyword(path, "maxItems"), $"{hint}-next");
        return elements.Length == 0 ? "\"[\" space \"]\" space" : $"\"[\" space {elements} \"]\" space";
    }

    /// <summary>Array elements from position <paramref name="k"/> on: prefix items nested as optionals, then counted items.</summary>
    private string Elements(int k, List<string> prefix, string? item, int min, int? most, string keyword, string hint)
    {
        if (k >= most)
            return "";
        var comma = k == 0 ? "" : "\",\" space ";
        if (k < prefix.Count)
        {
            var sequence = $"{comma}{prefix[k]} {Elements(k + 1, prefix, item, min, most, keyword, hint)}".TrimEnd();
            return k < min ? sequence : $"( {sequence} )?";
        }
        if (item is null)
            return "";
        var needed = Math.Max(0, min - k);
        var next = $"( \",\" space {item} )";
        if (k > 0)
            return Repeat(next, needed, most - k, keyword, hint);
        var first = $"{item} {Repeat(next, Math.Max(0, needed - 1), most - 1, keyword, hint)}".TrimEnd();
        return needed > 0 ? first : $"( {first} )?";
    }

    private string Repeat(string atom, int min, int? max, string keyword, string hint) => max == 0 ? "" : _rules.Repeat(atom, min, max, keyword, hint);

    private string ObjectBody(JsonElement schema, string path, string hint)
    {
        var properties = JsonSchemaValues.Properties(schema, path);
        var required = JsonSchemaValues.Required(schema, path);
        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        if (hasAdditional)
            JsonSchemaValues.RequireSchema(additional, JsonSchemaPath.Keyword(path, "additionalProperties"));
        var additionalIsTrue = hasAdditional && IsTrue(additional);
        var declared = properties.Count > 0 || required.Count > 0;

        // As llama.cpp: without 'additionalProperties', an object with declared properties generates only those.
        var allowAdditional = hasAdditional ? additional.ValueKind != JsonValueKind.False : !declared;
        if (!declared && allowAdditional && (!hasAdditional || additionalIsTrue))
            return Use("object");
        string? additionalValue = null;
        string AdditionalValue() => additionalValue ??= hasAdditional && !additionalIsTrue
            ? Symbol(additional, JsonSchemaPath.Keyword(path, "additionalProperties"), $"{hint}-additional")
            : Use("value");

        Use("space");
        var slots = new List<JsonObjectSlot>();
        var names = new List<string>();
        foreach (var property in properties)
        {
            names.Add(property.Name);
            var isRequired = required.Contains(property.Name);
            var propertyPath = JsonSchemaPath.Keyword(path, $"properties.{property.Name}");
            if (property.Value.ValueKind == JsonValueKind.False)
            {
                if (isRequired)
                    throw new ConstraintException($"required property '{property.Name}' has the schema false: no object is valid", propertyPath);
                continue;
            }
            var propertyHint = hint == "root" ? property.Name : $"{hint}-{property.Name}";
            var value = Symbol(property.Value, propertyPath, propertyHint);
            slots.Add(new JsonObjectSlot(KeyValue(propertyHint, property.Name, value), isRequired ? JsonObjectSlotKind.Required : JsonObjectSlotKind.Optional));
        }
        foreach (var name in required.Where(r => properties.All(p => p.Name != r)))
        {
            if (hasAdditional && additional.ValueKind == JsonValueKind.False)
                throw new ConstraintException($"required property '{name}' is not in 'properties' and additionalProperties is false: no object is valid",
                    JsonSchemaPath.Keyword(path, "required"));
            names.Add(name);
            var propertyHint = hint == "root" ? name : $"{hint}-{name}";
            slots.Add(new JsonObjectSlot(KeyValue(propertyHint, name, AdditionalValue()), JsonObjectSlotKind.Required));
        }
        if (allowAdditional)
        {
            var key = names.Count == 0
                ? Use("string")
                : $"\"\\\"\" {JsonKeyExclusion.Content(names, Use("key-char"), _rules, $"{hint}-additional-key")} \"\\\"\" space";
            var keyValue = _rules.Add($"{hint}-additional-kv", $"{key} \":\" space {AdditionalValue()}");
            slots.Add(new JsonObjectSlot(keyValue, JsonObjectSlotKind.Repeated));
        }

        var members = JsonObjectGrammar.Body(slots);
        return members.Length == 0 ? "\"{\" space \"}\" space" : $"\"{{\" space {members} \"}}\" space";
    }

    private string KeyValue(string hint, string name, string value) =>
        _rules.Add($"{hint}-kv", $"{GbnfText.Literal(JsonLiteral.String(name))} space \":\" space {value}");

    private static bool IsTrue(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.True || (schema.ValueKind == JsonValueKind.Object && !schema.EnumerateObject().Any(p => JsonSchemaKeywords.Constrains(p.Name)));
}
