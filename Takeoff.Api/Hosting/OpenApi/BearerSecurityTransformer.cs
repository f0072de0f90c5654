using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Takeoff.Api.Hosting.OpenApi;

/// <summary>
/// Declares the API-key scheme (<c>Authorization: Bearer</c>) so that Swagger UI shows its Authorize button; a server
/// started without keys simply ignores what is sent.
/// </summary>
public sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    private const string Scheme = "api-key";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The server's API key (--api-key; --management-api-key for the management API), when it has one.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] }];
        return Task.CompletedTask;
    }
}
