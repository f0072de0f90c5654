using System.Text.Json;
using System.Text.Json.Nodes;

namespace Takeoff.Engine.Text.Jinja.Runtime;

/// <summary>
/// Turns the caller's JSON into template values the way Python's json.loads does: objects keep their key order,
/// integers stay integers (<c>18</c> is an int, <c>18.0</c> a float).
/// </summary>
internal static class JsonValues
{
    public static object? From(JsonNode? node)
    {
        Py.EnsureStack();
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var dict = new PyDict();
                foreach (var (key, value) in obj)
                    dict[key] = From(value);
                return dict;
            case JsonArray array:
                return array.Select(From).ToList();
            default:
                var leaf = node.AsValue();
                switch (leaf.GetValueKind())
                {
                    case JsonValueKind.String:
                        return leaf.GetValue<string>();
                    case JsonValueKind.True:
                        return true;
                    case JsonValueKind.False:
                        return false;
                    case JsonValueKind.Null or JsonValueKind.Undefined:
                        return null;
                    default:
                        if (leaf.TryGetValue<JsonElement>(out var element))
                            return element.TryGetInt64(out var l) ? l : (object)element.GetDouble();
                        if (leaf.TryGetValue<long>(out var integer))
                            return integer;
                        if (leaf.TryGetValue<int>(out var small))
                            return (long)small;
                        return leaf.GetValue<double>();
                }
        }
    }
}
