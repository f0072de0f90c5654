using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Takeoff.Api.OpenAi;
using Takeoff.Api.Takeoff;
using Takeoff.Api.Wire;

namespace Takeoff.Api.Hosting.OpenApi;

/// <summary>
/// Three OpenAPI documents: the inference API (<c>/openapi.json</c>), the OpenAI-compatible API
/// (<c>/openapi/openai.json</c>) and the management API (<c>/openapi/management.json</c>), whose server entry
/// points Swagger UI's "Try it out" at the management port.
/// </summary>
public static class TakeoffOpenApi
{
    public const string ManagementDocument = "management";

    /// <summary>Not "v1": that is the default document's name, which takes every endpoint of its group.</summary>
    public const string OpenAiDocument = "openai";

    public static IServiceCollection AddTakeoffOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(openApi =>
        {
            openApi.AddSchemaTransformer<OneOrManySchemaTransformer>();
            openApi.AddSchemaTransformer<TokenListSchemaTransformer>();
            openApi.AddDocumentTransformer<BearerSecurityTransformer>();
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Takeoff for .NET: inference API";
                document.Info.Description = "The Takeoff API over llama.cpp: POST /generate answers in one JSON document, " +
                                            "POST /generate_stream streams the text as it is produced; tokenizer, chat " +
                                            "template and embedding endpoints beside them. The management API (readers, " +
                                            "consumer groups) is on the next port: see the other definition.";
                return Task.CompletedTask;
            });
        });
        services.AddOpenApi(OpenAiDocument, openApi =>
        {
            openApi.ShouldInclude = endpoint => endpoint.GroupName == OpenAiDocument;
            openApi.AddSchemaTransformer<OneOrManySchemaTransformer>();
            openApi.AddSchemaTransformer<OpenAiSchemaTransformer>();
            openApi.AddDocumentTransformer<BearerSecurityTransformer>();
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Takeoff for .NET: OpenAI-compatible API (/v1)";
                document.Info.Description = "OpenAI's chat completions, completions, embeddings and models, for the OpenAI " +
                                            "SDKs, LangChain, LlamaIndex, Semantic Kernel and Microsoft.Extensions.AI. " +
                                            "\"model\" is a consumer group or a model name (GET /v1/models). Served on the " +
                                            "inference port and on the OpenAI port (3003). Errors have OpenAI's shape.";
                return Task.CompletedTask;
            });
        });
        services.AddOpenApi(ManagementDocument, openApi =>
        {
            // By default a document also takes every endpoint without a group; this one is the management port's only.
            openApi.ShouldInclude = endpoint => endpoint.GroupName == ManagementDocument;
            openApi.AddDocumentTransformer<BearerSecurityTransformer>();
            openApi.AddDocumentTransformer((document, context, _) =>
            {
                document.Info.Title = "Takeoff for .NET: management API";
                document.Info.Description = "Readers and consumer groups, changed while the server runs. Served on the " +
                                            "management port (inference port + 1, loopback by default).";
                var server = context.ApplicationServices.GetRequiredService<IOptions<ServerOptions>>().Value;
                var port = context.ApplicationServices.GetRequiredService<Listeners>().ManagementPort;
                var host = server.ManagementHost switch
                {
                    "0.0.0.0" or "::" => "localhost",
                    var address when address.Contains(':') => $"[{address}]",
                    var address => address,
                };
                document.Servers = [new OpenApiServer { Url = $"http://{host}:{port}", Description = "Management port" }];
                return Task.CompletedTask;
            });
        });
        return services;
    }
}
