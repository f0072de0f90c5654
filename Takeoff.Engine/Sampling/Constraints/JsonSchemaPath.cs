namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>Keyword paths in error messages: <c>properties.price.multipleOf</c>, <c>$defs.Node.items</c>.</summary>
internal static class JsonSchemaPath
{
    public static string Keyword(string path, string segment) => path.Length == 0 ? segment : $"{path}.{segment}";
}
