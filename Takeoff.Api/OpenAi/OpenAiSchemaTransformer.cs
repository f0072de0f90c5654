using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Takeoff.Api.OpenAi;

/// <summary>Describes the /v1 values read by custom converters as what they are on the wire.</summary>
public sealed class OpenAiSchemaTransformer : IOpenApiSchemaTransformer
{
    private static OpenApiSchema String => new() { Type = JsonSchemaType.String };

    private static OpenApiSchema ArrayOf(OpenApiSchema items) => new() { Type = JsonSchemaType.Array, Items = items };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(MessageContent))
        {
            var part = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema> { ["type"] = String, ["text"] = String },
            };
            schema.OneOf = [String, ArrayOf(part)];
        }
        else if (type == typeof(EmbeddingsInput))
        {
            var ids = ArrayOf(new OpenApiSchema { Type = JsonSchemaType.Integer });
            schema.OneOf = [String, ArrayOf(String), ids, ArrayOf(ids)];
        }
        return Task.CompletedTask;
    }
}
