using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Takeoff.Api.Wire;

namespace Takeoff.Api.Hosting.OpenApi;

/// <summary>
/// What every API's OpenAPI document says besides its endpoints: which endpoints are its own, its title and description,
/// the API-key scheme (Swagger UI's Authorize button) and the shared wire types (<see cref="OneOrMany{T}"/>). Each API describes its document with these (TakeoffDocument,
/// OpenAiDocument, ManagementDocument).
/// </summary>
public static class ApiDocument
{
    /// <summary>
    /// Only the endpoints of <paramref name="group"/> (their <c>ApiExplorerSettings.GroupName</c>): by default a document
    /// also takes every endpoint without a group.
    /// </summary>
    public static OpenApiOptions OnlyGroup(this OpenApiOptions openApi, string group)
    {
        openApi.ShouldInclude = endpoint => endpoint.GroupName == group;
        return openApi;
    }

    /// <param name="servers">Where "Try it out" sends requests, when not to the page's own origin.</param>
    public static OpenApiOptions Describe(this OpenApiOptions openApi, string title, string description,
        Func<IServiceProvider, IList<OpenApiServer>>? servers = null) => openApi
        .AddSchemaTransformer<OneOrManySchemaTransformer>()
        .AddDocumentTransformer<BearerSecurityTransformer>()
        .AddDocumentTransformer((document, context, _) =>
        {
            document.Info.Title = title;
            document.Info.Description = description;
            if (servers is not null)
                document.Servers = servers(context.ApplicationServices);
            return Task.CompletedTask;
        });
}
