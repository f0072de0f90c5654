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
            // Revalidate every time (ETag): after an upgrade the browser must not run an old page against a new API.
            OnPrepareResponse = file => file.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache",
        });
    }
}
