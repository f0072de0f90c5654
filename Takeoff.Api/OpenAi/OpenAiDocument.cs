using Microsoft.AspNetCore.OpenApi;
using Takeoff.Api.Hosting.OpenApi;

namespace Takeoff.Api.OpenAi;

/// <summary>The OpenAI-compatible API's OpenAPI document (<c>/openapi/openai.json</c>).</summary>
public static class OpenAiDocument
{
    /// <summary>Not "v1": that is the default document's name, which takes every endpoint of its group.</summary>
    public const string Name = "openai";

    public static void Configure(OpenApiOptions openApi) => openApi
        .OnlyGroup(Name)
        .AddSchemaTransformer<OpenAiSchemaTransformer>()
        .Describe("Takeoff for .NET: OpenAI-compatible API (/v1)",
            "OpenAI's chat completions, completions, embeddings and models, for the OpenAI SDKs, LangChain, LlamaIndex, " +
            "Semantic Kernel and Microsoft.Extensions.AI. \"model\" is a consumer group or a model name (GET /v1/models). " +
            "Served on the inference port and on the OpenAI port (3003). Errors have OpenAI's shape.");
}
