using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Takeoff.Api.Wire;

/// <summary>Describes <see cref="OneOrMany{T}"/> as what it is on the wire: one item, or a list of them.</summary>
public sealed class OneOrManySchemaTransformer : IOpenApiSchemaTransformer
{
    public async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(OneOrMany<>))
            return;

        var item = await context.GetOrCreateSchemaAsync(type.GetGenericArguments()[0], null, cancellationToken);
        schema.Type = null;
        schema.Properties?.Clear();
        schema.Required?.Clear();
        schema.OneOf = [item, new OpenApiSchema { Type = JsonSchemaType.Array, Items = item }];
    }
}
