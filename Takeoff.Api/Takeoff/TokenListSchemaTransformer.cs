using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Takeoff.Api.Takeoff;

/// <summary>Describes <see cref="TokenList"/> as what it is on the wire: a list of token strings or of token ids.</summary>
public sealed class TokenListSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type != typeof(TokenList))
            return Task.CompletedTask;
        schema.OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Integer } },
        ];
        schema.Examples = [new System.Text.Json.Nodes.JsonArray(" Once", " upon", " a", " time")];
        return Task.CompletedTask;
    }
}
