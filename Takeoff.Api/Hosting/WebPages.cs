using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Takeoff.Api.Hosting;

/// <summary>
/// The chat and playground pages (wwwroot: plain HTML and JS modules, vendored libraries under lib/). Added after
/// <see cref="PortScopedEndpoints"/>, whose 404 keeps them off the management and OpenAI ports like any
/// request that matched no endpoint of theirs.
/// </summary>
public static class WebPages
{
    private static readonly Dictionary<string, string> Pages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/"] = "/demos/chat.html",
        ["/demos/chat"] = "/demos/chat.html",
        ["/demos/playground"] = "/demos/playground.html",
    };

    /// <summary>
    /// The pages run only their own scripts (no inline script, no eval): text the model writes is rendered as HTML, and
    /// if anything slipped through the sanitizer it still could not run. They call this host only, on any port (the
    /// readers view reaches the management port), and no other site may frame them.
    /// </summary>
    private static string ContentSecurityPolicy(HttpRequest request) =>
        $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        $"connect-src 'self' {request.Scheme}://{request.Host.Host}:*; object-src 'none'; base-uri 'none'; " +
        "form-action 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseWebPages(this IApplicationBuilder app)
    {
        // Beside the assembly, not under the content root: the server is started from the repository (dotnet run),
        // from its output folder, or inside the test host, and the build copies wwwroot next to the dll each time.
        var root = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        app.Use((context, next) =>
        {
            if (context.GetEndpoint() is null && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                && Pages.TryGetValue(context.Request.Path.Value ?? "", out var file))
                context.Request.Path = file;
            return next(context);
        });
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = root,
            OnPrepareResponse = file =>
            {
                var headers = file.Context.Response.Headers;
                // Revalidate every time (ETag): after an upgrade the browser must not run an old page against a new API.
                headers[HeaderNames.CacheControl] = "no-cache";
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                if (file.File.Name.EndsWith(".html", StringComparison.Ordinal))
                    headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy(file.Context.Request);
            },
        });
    }
}
