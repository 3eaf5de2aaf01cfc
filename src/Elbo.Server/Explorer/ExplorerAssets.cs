using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Elbo.Server.Explorer;

/// <summary>The latent explorer's page, style sheet and script, embedded in this assembly and served from memory at
/// <c>/</c>, <c>/explorer.css</c> and <c>/explorer.js</c>. The page asks for nothing else: no CDN, no font, no
/// network beyond this server's own API, and its Content-Security-Policy says so to the browser.</summary>
internal static class ExplorerAssets
{
    /// <summary>What the page may load: its own files and API, and the PNGs the API returns as data: URLs.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly (string Route, string Resource, string Type)[] Files =
    [
        ("/", "explorer.html", "text/html; charset=utf-8"),
        ("/explorer.css", "explorer.css", "text/css; charset=utf-8"),
        ("/explorer.js", "explorer.js", "text/javascript; charset=utf-8"),
    ];

    /// <summary>Maps the page's routes (kept out of the OpenAPI description, which is the JSON API's).</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var (route, resource, type) in Files)
        {
            byte[] body = Read(resource);
            app.MapGet(route, (HttpContext context) =>
            {
                context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                context.Response.Headers.XContentTypeOptions = "nosniff";
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Bytes(body, type);
            }).ExcludeFromDescription();
        }
    }

    /// <summary>The bytes of the embedded file <paramref name="name"/>.</summary>
    public static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Explorer/" + name)
            ?? throw new InvalidOperationException($"the explorer's {name} is not embedded in {typeof(ExplorerAssets).Assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
