using Microsoft.AspNetCore.OpenApi;
using Takeoff.Api.Hosting.OpenApi;

namespace Takeoff.Api.Takeoff;

/// <summary>The Takeoff inference API's OpenAPI document, the default one (<c>/openapi.json</c>): every endpoint without a group.</summary>
public static class TakeoffDocument
{
    /// <summary>ASP.NET's default document: /openapi.json serves it, and it takes every endpoint without a group.</summary>
    public const string Name = "v1";

    public static void Configure(OpenApiOptions openApi) => openApi
        .AddSchemaTransformer<TokenListSchemaTransformer>()
        .Describe("Takeoff for .NET: inference API",
            "The Takeoff API over llama.cpp: POST /generate answers in one JSON document, POST /generate_stream streams the " +
            "text as it is produced; tokenizer, chat template and embedding endpoints beside them. The management API " +
            "(readers, consumer groups) is on the next port: see the other definition.");
}
